"""The ninjs parser on IPTC's own examples (1.x, 2.x, 3.x) and on hostile input. No database."""

import json
from datetime import UTC, datetime

import pytest

from dateline.wire.parsers import ninjs
from dateline.wire.parsers.common import NotAStory
from dateline.wire.story import WireError
from tests.conftest import iptc_path

EXAMPLES = "ninjs/examples/"


def parse_example(name):
    return ninjs.parse_bytes(iptc_path(EXAMPLES + name).read_bytes())


@pytest.mark.parametrize(
    "name, version",
    [
        ("1.4/ninjsExComplex1.json", "ninjs-1"),
        ("2.2/005_complex_text_article.json", "ninjs-2"),
        ("3.0/ninjsExSimpleText_3.json", "ninjs-3"),
    ],
)
def test_ap_cruise_story_in_every_version(name, version):
    story = parse_example(name)
    assert story.source_format == version
    assert story.headline == "Captain of wrecked cruise ship on trial in Italy"
    assert story.authors == ("Paulo Santalucia", "Frances d'Emilio")
    assert story.published == datetime(2013, 7, 9, 10, 37, tzinfo=UTC)
    # The format's own element names the dateline (these examples spell it "Grossetto, Italy"; the
    # body's lead says GROSSETO), and the lead "GROSSETO, Italy (AP) —" is taken off the body.
    located = "GROSSETTO" if "located" in json.loads(iptc_path(EXAMPLES + name).read_text()) else "GROSSETO"
    assert story.dateline == located and story.agency == "AP"
    assert story.paragraphs[0].startswith("The trial of the captain of the shipwrecked Costa Concordia")


def test_dpa_2_1_and_3_0_give_the_same_story():
    old, new = parse_example("2.1/dpa_text.json"), parse_example("3.0/dpa_text.json")
    for story in (old, new):
        assert story.guid == "urn:newsml:dpa.com:20090101:190510-99-167362"
        assert story.version == 2
        assert story.headline.startswith("Faktencheck Derby-Elfmeter")
        assert story.authors == ("Christian Hollmann",)
        assert story.agency == "dpa" and story.language == "de" and story.urgency == 4
        assert story.published == datetime(2019, 5, 10, 14, 2, 28, tzinfo=UTC)
        assert len(story.paragraphs) == 9
        assert story.paragraphs[0].startswith("Für Lucien Favre war es «der größte Skandal")
    assert old.paragraphs == new.paragraphs
    assert (old.source_format, new.source_format) == ("ninjs-2", "ninjs-3")


def test_ntb_fields():
    story = parse_example("2.1/ntb_text.json")
    assert story.guid == "urn:8d19cf88-b3ab-4972-8fec-1207599f2872" and story.version == 6
    assert story.headline == "Google har kjøpt giganttomt i Skien"
    assert story.published == datetime(2019, 8, 9, 9, 30, 4, tzinfo=UTC)
    assert story.updated == datetime(2019, 8, 9, 9, 46, 53, tzinfo=UTC)
    assert story.slugline == "skien-google" and story.ednote == "Noe utvidet." and story.urgency == 5
    assert story.tags == ("Innenriks", "Teknologi", "Industri", "Olje og energi")
    assert story.pub_status == "usable" and story.language == "nb-NO"
    assert story.paragraphs[0].startswith("IT-giganten Google har kjøpt en tomt")


def test_associated_pictures_become_photos_with_captions():
    story = parse_example("2.1/tt_text_image_2.json")
    (photo,) = story.photos
    assert photo.caption.startswith("En stor internationell försvarsövning planeras 2023")
    assert photo.credit == "Karl Melander/TT"
    assert photo.href.startswith("https://")  # recorded, never fetched


@pytest.mark.parametrize("name", ["1.6/006_photo_only.json", "2.1/ap_image.json", "2.2/006_photo_only.json"])
def test_picture_items_are_reported_not_imported(name):
    with pytest.raises(NotAStory, match="not a text story: ninjs item of type 'picture'"):
        parse_example(name)


def test_every_example_gives_a_story_or_a_clear_reason():
    for path in sorted(iptc_path(EXAMPLES).glob("*/*.json")):
        try:
            story = ninjs.parse_bytes(path.read_bytes())
        except WireError as exc:
            assert str(exc), path
        else:
            assert story.headline and story.paragraphs and story.published.tzinfo, path


def doc(**fields):
    base = {
        "uri": "urn:test:1",
        "type": "text",
        "versioncreated": "2024-03-01T10:00:00Z",
        "headline": "A headline",
        "body_html": "<p>Body.</p>",
    }
    base.update(fields)
    return json.dumps({k: v for k, v in base.items() if v is not None}).encode()


def test_body_html_is_sanitised():
    story = ninjs.parse_bytes(
        doc(
            body_html=(
                '<p onclick="steal()">Safe <b>bold</b> <a href="javascript:alert(1)">bad link</a> '
                '<a href="https://example.org/x">good link</a></p><script>alert(1)</script>'
                '<style>p{}</style><iframe src="https://evil.example"></iframe><p>Second<img src=x onerror=alert(1)></p>'
            )
        )
    )
    assert story.paragraphs == (
        'Safe <b>bold</b> <a rel="noopener noreferrer">bad link</a> '
        '<a href="https://example.org/x" rel="noopener noreferrer">good link</a>',
        "Second",
    )


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "the file is empty"),
        (b"{not json", "malformed JSON at line 1"),
        (b"[1, 2]", "must be a JSON object"),
        (doc(uri=None), "has no uri"),
        (doc(headline=None), "has no headline"),
        (doc(versioncreated="yesterday"), "invalid date in versioncreated: 'yesterday'"),
        (doc(versioncreated="2024-03-01T10:00:00"), "has no time zone"),
        (doc(version="two"), "the ninjs field 'version' should be a whole number, not 'two'"),
        (b"[" * 100000 + b"]" * 100000, "nested too deeply"),
    ],
)
def test_bad_documents_name_the_problem(data, reason):
    with pytest.raises(WireError, match=reason):
        ninjs.parse_bytes(data)


@pytest.mark.parametrize(
    "fields, reason",
    [
        ({"headline": 5}, "the ninjs field 'headline' should be text, not a number"),
        ({"uri": ["a"]}, "the ninjs field 'uri' should be text, not a list"),
        ({"byline": {"name": "x"}}, "the ninjs field 'byline' should be text, not an object"),
        ({"urgency": "high"}, "the ninjs field 'urgency' should be a whole number, not 'high'"),
        ({"version": 2**40}, "is larger than"),
        ({"associations": 7}, "the ninjs field 'associations' should be a list or an object, not a number"),
        ({"subject": "politics"}, "the ninjs field 'subject' should be a list, not str"),
        ({"pubstatus": "lost"}, "unknown pubstatus 'lost'"),
    ],
)
def test_a_schema_mismatch_is_a_clear_error(fields, reason):
    with pytest.raises(WireError) as error:
        ninjs.parse_bytes(doc(**fields))
    assert reason in str(error.value)


@pytest.mark.parametrize(
    "status, expected", [("usable", "usable"), ("withheld", "withdrawn"), ("canceled", "canceled")]
)
def test_publication_status(status, expected):
    assert ninjs.parse_bytes(doc(pubstatus=status)).pub_status == expected


def test_iptc_subject_uris_become_codes():
    story = ninjs.parse_bytes(
        json.dumps(
            {
                "uri": "urn:test:1",
                "type": "text",
                "versioncreated": "2024-03-01T10:00:00Z",
                "embargoed": "2024-03-02T06:00:00Z",
                "headlines": [{"value": "A headline"}],
                "bodies": [{"value": "Body.", "contenttype": "text/plain"}],
                "subjects": [
                    {"name": "sport", "uri": "http://cv.iptc.org/newscodes/mediatopic/15000000"},
                    {"name": "Old code", "uri": "http://cv.iptc.org/newscodes/subjectcode/15008000"},
                    {"name": "Local", "literal": "x"},
                ],
            }
        ).encode()
    )
    assert story.subject_codes == ("medtop:15000000", "subj:15008000")
    assert story.tags == ("sport", "Old code", "Local")
    assert story.embargo == datetime(2024, 3, 2, 6, tzinfo=UTC)


@pytest.mark.parametrize("stamp", ["9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00", "9999-06-01T00:00:00Z"])
def test_a_time_no_database_can_hold_is_refused_saying_so(stamp):
    item = {"uri": "urn:t:far", "type": "text", "headline": "Far", "versioncreated": stamp, "body_html": "<p>W.</p>"}
    with pytest.raises(WireError, match=r"published time .* is out of range: a date from year 1 to 9998"):
        ninjs.parse_bytes(json.dumps(item).encode())
