"""Every format an agency sends, read from fixtures shaped after what agencies send (tests/fixtures/agencies/,
see its README). Every mapped field is checked by value. No database: the parsers are pure functions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from dateline.wire import parsers
from dateline.wire.parsers.common import NotAStory
from dateline.wire.story import WireError, WirePhoto

AGENCIES = Path(__file__).resolve().parents[1] / "fixtures" / "agencies"


def read(name: str):
    """(format detected, [stories or errors]) for one fixture."""
    path = AGENCIES / name
    data = path.read_bytes()
    fmt = parsers.detect(path, data)
    return fmt, [outcome for _, outcome in parsers.parse(data, fmt)]


def story(name: str):
    fmt, outcomes = read(name)
    assert len(outcomes) == 1, outcomes
    assert not isinstance(outcomes[0], Exception), outcomes[0]
    return fmt, outcomes[0]


def test_ap_nitf_with_its_dateline_element_byline_and_photo():
    fmt, s = story("ap-nitf-dateline.xml")
    assert fmt == "nitf" and s.source_format == "nitf"
    assert s.guid == "a7c2f0e4b1d94f6a8e3c5b7d9f1a2c4e"
    assert s.headline == "Pennsylvania maker of garden robots adds 200 jobs"
    assert s.subheadline == "Orders from Europe double at the Fort Washington plant"
    assert s.published == datetime(2026, 3, 4, 14, 25, tzinfo=UTC)
    assert s.embargo is None  # date.release equals date.issue
    # The dateline element, normalised once; the body's lead "FORT WASHINGTON, Pa. (AP) _ " is not repeated.
    assert s.dateline == "FORT WASHINGTON" and s.agency == "AP"
    assert s.paragraphs[0].startswith("A company that builds lawn-mowing robots said Wednesday")
    assert len(s.paragraphs) == 4  # the media block is a photo, not a paragraph
    assert s.byline == "By MARGARET OKAFOR" and s.authors == ("Margaret Okafor",)  # the job title left out
    assert s.summary == "A maker of lawn-mowing robots will hire 200 people after orders from Europe doubled."
    assert s.urgency == 4 and s.tags == ("Garden robots", "Manufacturing jobs")
    assert s.subject_codes == ("subj:04000000",)
    assert s.photos == (
        WirePhoto(
            caption="Workers test a mowing robot on the line at the Fort Washington plant.",
            credit="AP Photo/Dana Whitfield",
            href="robots-line.jpg",
        ),
    )
    assert s.trailer == "Associated Press writer Luis Herrera contributed from Philadelphia."
    assert s.pub_status == "usable" and not s.signals


def test_an_nitf_byline_that_is_only_by_and_a_relaying_distributor():
    _, s = story("ap-nitf-distributor-relay.xml")
    assert s.byline == "" and s.authors == ()  # "By" alone is nobody
    assert s.agency == "AP"  # the copyright holder, not the distributor that relays it
    assert s.dateline == "PITTSBURGH"  # <location><city>, normalised
    assert not s.paragraphs[0].startswith("PITTSBURGH")
    assert "_____" not in s.paragraphs  # dashes-only lines are no body text
    assert s.published == datetime(2026, 3, 4, 16, 5, tzinfo=timezone(timedelta(hours=-5)))


def test_a_reuters_story_relayed_by_aap_is_credited_to_reuters():
    _, s = story("aap-nitf-reuters-relay.xml")
    assert s.agency == "Reuters"
    assert s.dateline == "LONDON"  # the element says NO-DATA-AVAILABLE: no dateline from it
    assert s.subject_codes == ("subj:01000000",)  # a bare 8-digit IPTC subject code
    assert s.trailer == "(Reporting by Tomasz Wierzbicki; Editing by Hannah Marsh)"
    assert s.paragraphs[-1] == "The buildings have stood empty since the light was automated in 1996."
    assert s.ednote == "Relayed by AAP from Reuters."
    assert s.published == datetime(2026, 3, 4, 5, 12, tzinfo=timezone(timedelta(hours=11)))


def test_latin1_nitf_with_a_doctype_and_html_entities():
    _, s = story("efe-nitf-latin1.xml")
    assert s.headline == "La cosecha de aceituna se adelanta dos semanas en Jaén"
    assert s.dateline == "JAÉN" and s.agency == "EFE"  # "Jaén (EFE).- " taken off the body
    assert (
        s.paragraphs[0] == "Los olivareros de Jaén han comenzado la recogida&nbsp;dos semanas antes que el año pasado."
    )
    assert s.byline == "Por Lucía Fernández" and s.authors == ("Lucía Fernández",)
    assert s.language == "es" and s.tags == ("Agricultura", "Andalucía")


def test_afp_newsml_1_2_with_nitf_and_a_photo_component():
    fmt, s = story("afp-newsml12.xml")
    assert fmt == "newsml-1.2" and s.source_format == "newsml-1.2"
    assert s.guid == "urn:newsml:afp.com:20260304:TX-PAR-QKR81" and s.version == 2  # RevisionId
    assert s.headline == "Night trains return between Paris and the Alps"
    assert s.subheadline == "Operator cites demand from skiers"
    assert s.published == datetime(2026, 3, 4, 9, 40, tzinfo=UTC)  # FirstCreated
    assert s.version_created == s.updated == datetime(2026, 3, 4, 10, 15, tzinfo=UTC)  # ThisRevisionCreated
    assert s.byline == "By Camille Rousset" and s.authors == ("Camille Rousset",)
    assert s.dateline == "PARIS" and s.agency == "AFP"
    assert s.urgency == 3 and s.slugline == "France-transport-rail"
    assert s.tags == ("rail", "tourism")
    assert s.subject_codes == ("subj:04000000", "subj:04015000")
    assert s.paragraphs == (
        "Overnight sleeper trains between Paris and the French Alps will run again from December, "
        "the national rail operator said on Wednesday.",
        "The service was cut in 2021 for lack of passengers.",
        "Tickets go on sale in September.",
    )
    assert s.photos == (
        WirePhoto(
            caption="A sleeper carriage waits at the Gare d'Austerlitz in Paris.",
            credit="AFP/Julien Marchetti",
            href="sleeper-carriage.jpg",
        ),
    )


def test_a_newsml_1_2_cancel_with_no_content_is_a_kill():
    _, s = story("afp-newsml12-cancel.xml")
    assert s.guid == "urn:newsml:afp.com:20260304:TX-PAR-QKR81" and s.version == 3
    assert s.pub_status == "canceled" and s.withdrawn and s.paragraphs == ()


def test_a_reuters_cancel_with_an_empty_body_is_a_kill_not_a_skip():
    fmt, s = story("reuters-g2-cancel-empty-body.xml")
    assert fmt == "newsml-g2"
    assert s.guid == "tag:reuters.com,2026:newsml_L8N3Q0001" and s.version == 2
    assert s.pub_status == "canceled" and s.headline == "" and s.paragraphs == ()
    assert s.ednote.startswith("KILL - This story has been withdrawn.")


def test_reuters_g2_story_credit_trailer_and_dateline_with_a_date():
    _, s = story("reuters-g2-story.xml")
    assert s.agency == "Reuters" and s.dateline == "OSLO"  # "OSLO, March 4 (Reuters) - "
    assert s.paragraphs == (
        "A Norwegian shipping company named its finance director as chief executive on Wednesday.",
        "She succeeds a founder who retires after 31 years.",
    )
    assert s.trailer == "(Reporting by Ingrid Solberg; Editing by Mark Potter)"
    assert s.byline == "By Ingrid Solberg" and s.urgency == 3


def test_a_correction_marked_by_editorial_status_and_a_note_paragraph():
    _, s = story("ap-g2-correction-edstat.xml")
    assert s.is_correction
    assert s.ednote == "In Jan. 3 story, corrects name of the council member in paragraph 2."
    assert s.paragraphs[0] == "The city council on Tuesday approved four new bus routes."  # the note is no body
    assert s.summary == ""  # and no summary
    assert s.dateline == "DENVER" and s.authors == ("Priya Natarajan",)


def test_dpa_header_block_disclaimer_and_user_id_byline():
    _, s = story("dpa-ninjs-header-block.json")
    assert s.paragraphs == (
        "Leipzig will die Zahl seiner Fahrradstraßen in den kommenden zwei Jahren verdoppeln.",
        "Das kündigte die Stadtverwaltung am Mittwoch an.",
        "Geplant sind 14 neue Abschnitte.",
    )
    assert s.summary == ""
    assert s.tags == ("Verkehr", "Radverkehr", "Stadtplanung")  # the header's keywords
    assert s.byline == "" and s.authors == ()  # "degenhardt.sandra" is a user id
    assert s.agency == "dpa" and s.dateline == "LEIPZIG" and s.language == "de"


def test_ansa_escaped_html_body_and_a_date_for_a_byline():
    _, s = story("ansa-ninjs-escaped-html.json")
    assert s.paragraphs == (
        "Riapre dopo due anni di lavori il museo delle carrozze.",
        "Le sale ospitano 30 vetture restaurate.",
        "L'ingresso resta gratuito la prima domenica del mese.",
    )
    assert not any("&lt;" in p or "<p>" in p for p in s.paragraphs)
    assert s.authors == () and s.byline == ""  # "MAR 04" is a date
    assert s.dateline == "NAPOLI" and s.agency == "ANSA"


def test_an_agency_api_envelope_around_a_ninjs_item():
    fmt, s = story("envelope-ninjs.json")
    assert fmt == "ninjs"
    assert s.guid == "urn:newsml:ntb.no:20260304:100412"
    assert s.headline == "Ny bru over Glomma åpner i mai" and s.agency == "NTB"
    assert s.paragraphs == (
        "Den nye brua over Glomma ved Fredrikstad åpner for trafikk i mai.",
        "Brua har kostet 1,2 milliarder kroner.",
    )


def test_a_list_of_ninjs_items_and_a_text_association():
    import json

    item = json.loads((AGENCIES / "envelope-ninjs.json").read_text())["data"]["item"]
    sidebar = {**item, "uri": "urn:test:sidebar", "headlines": [{"role": "main", "value": "Fakta om brua"}]}
    second = {**item, "uri": "urn:test:second", "associations": {"sidebar": {**sidebar, "type": "text"}}}
    outcomes = parsers.parse(json.dumps({"data": {"items": [item, second]}}).encode(), "ninjs")
    assert [label for label, _ in outcomes] == [
        "urn:newsml:ntb.no:20260304:100412",
        "urn:test:second",
        "urn:test:sidebar",
    ]


def test_anpa_1312_transmission():
    fmt, s = story("ap-anpa-1312.txt")
    assert fmt == "iptc7901"
    assert s.headline == "Harbour ferry resumes after engine repair"
    assert s.published == datetime(2026, 3, 4, 9, 55, tzinfo=timezone(timedelta(hours=-5)))
    assert s.slugline == "BC-Harbour-Ferry" and s.urgency == 4  # priority r: routine
    assert s.dateline == "STOCKHOLM" and s.agency == "AP" and s.authors == ("Tomas Lindqvist",)
    assert len(s.paragraphs) == 3  # indents start paragraphs; the "AP-NY-..." end marker is not one
    assert s.paragraphs[-1] == "Two more boats will be refitted next winter."


def test_iptc_7901_in_latin1_is_decoded_not_assumed():
    _, s = story("stt-iptc7901-latin1.txt")
    assert s.headline == "Kirjasto pidentää aukioloaikoja kesällä"
    assert s.paragraphs == (
        "Pääkirjasto on kesällä auki myös sunnuntaisin.",
        "Muutos koskee kesä-, heinä- ja elokuuta.",
    )
    assert s.published == datetime(2026, 3, 4, 14, 10, tzinfo=timezone(timedelta(hours=2)))
    assert s.dateline == "HELSINKI" and s.agency == "STT" and s.urgency == 3


def test_e_mailed_copy():
    fmt, s = story("emailed-copy.eml")
    assert fmt == "iptc7901" and s.source_format == "email"
    assert s.guid == "urn:dateline:email:20260304.0745.flood@example-agency.test"
    assert s.headline == "Flood barrier test closes river for a day"
    assert s.published == datetime(2026, 3, 4, 7, 45, tzinfo=timezone(timedelta(hours=-5)))
    assert s.authors == ("Renée Castillo",) and s.agency == "Reuters" and s.dateline == "HARTFORD"
    assert s.trailer == "(Reporting by Renée Castillo; Editing by Paul Hendricks)"
    assert len(s.paragraphs) == 2


def test_a_text_wire_with_no_time_uses_the_time_it_was_received():
    data = b"\x01a0001 r a BC-Test 0010\n\x02Headline here\n\tBody text.\n\x03\x04"
    with_time = parsers.parse(data, "iptc7901", received=datetime(2026, 3, 4, 12, 0, tzinfo=UTC))
    assert with_time[0][1].published == datetime(2026, 3, 4, 12, 0, tzinfo=UTC)
    ((_, error),) = parsers.parse(data, "iptc7901")
    assert isinstance(error, WireError) and "no filing time" in str(error)


@pytest.mark.parametrize(
    "data, message",
    [
        (b"<rss version='2.0'><channel/></rss>", "root is <rss>: not a format Dateline reads"),
        (b"%PDF-1.4 binary", r"not NewsML-G2, NewsML 1.2 or NITF \(XML\), ninjs \(JSON\)"),
        (b"   ", "the file is empty"),
    ],
)
def test_what_dateline_cannot_read_is_an_error_not_a_skip(data, message):
    with pytest.raises(WireError, match=message) as error:
        parsers.detect(Path("x.bin"), data)
    assert not isinstance(error.value, NotAStory)


# --- plain-text captures, as people save them -----------------------------------------------------------


def capture(name: str):
    from dateline.wire.parsers import plaintext

    return plaintext.parse_bytes((AGENCIES / "captures" / name).read_bytes())


def test_a_reuters_capture_with_a_header_of_dash_lines():
    s = capture("reuters-dash-header.txt")
    assert s.headline == "Wind farm owners agree to share grid upgrade costs"
    assert s.byline == "By Helga Marstrand" and s.authors == ("Helga Marstrand",)  # irregular spaces
    assert s.published == datetime(2006, 10, 23, 18, 42, tzinfo=timezone(timedelta(hours=-4)))
    assert s.source_url == "http://www.reuters.com/article/energy-wind-grid-idUSL2312345"
    assert s.dateline == "COPENHAGEN" and s.agency == "Reuters"
    assert s.paragraphs == (
        "Owners of offshore wind farms in the Baltic agreed on Monday to share the cost of a new grid connection, "
        "the Danish energy agency said.",
        "The agreement covers three projects due to start in 2009.",
        "The agency did not give a figure for the total cost.",
    )
    assert s.trailer == "(Reporting by Helga Marstrand; Editing by Simon Aldous)"


def test_a_capture_with_a_kicker_byline_first_and_an_update_stamp():
    s = capture("analysis-kicker.txt")
    assert s.headline == "Analysis: Port cities weigh the price of deeper channels"
    assert s.authors == ("Joanna Kimura",)
    assert s.published == datetime(2026, 3, 5, 8, 5, tzinfo=timezone(timedelta(hours=-5)))
    assert s.updated == datetime(2026, 3, 5, 11, 20, tzinfo=timezone(timedelta(hours=-5)))
    assert s.dateline == "SAVANNAH" and len(s.paragraphs) == 3


def test_a_latin1_capture_whose_time_stamp_comes_first():
    s = capture("stamp-first-latin1.txt")
    assert s.headline == "Kickoff delayed as storm floods the pitch in Genève"
    assert s.published == datetime(2026, 3, 5, 9, 0, tzinfo=timezone(timedelta(hours=1)))
    assert s.paragraphs[0] == "The match was moved to Friday after heavy rain in Genève."
    assert s.dateline == "GENEVA"


def test_a_refusal_says_what_was_found():
    with pytest.raises(WireError) as error:
        capture("no-stamp.txt")
    assert str(error.value).startswith(
        "headline: line 1 'Rail strike called off after late talks'; no time stamp in lines 1–8"
    )


def test_one_item_in_three_languages_is_three_stories():
    fmt, outcomes = read("stt-g2-three-languages.xml")
    assert [(s.guid, s.language, s.headline) for s in outcomes] == [
        ("urn:newsml:stt.fi:20260304:104418:fi", "fi", "Tampereen raitiotie jatkuu Hervantaan"),
        ("urn:newsml:stt.fi:20260304:104418:sv", "sv", "Spårvägen i Tammerfors förlängs till Hervanta"),
        ("urn:newsml:stt.fi:20260304:104418:en", "en", "Tampere tram line to be extended to Hervanta"),
    ]
    english = outcomes[2]
    assert english.paragraphs == (
        "Tampere city council on Monday approved an extension of the tram line.",
        "Building work starts next spring.",
    )  # its own body only, and the "*** ... ***" disclaimer is no body text
    assert english.language_version_of == "urn:newsml:stt.fi:20260304:104418" and english.agency == "STT"
