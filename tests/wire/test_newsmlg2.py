"""The NewsML-G2 parser on IPTC's own examples and on hostile input. No database."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from lxml import etree

from dateline.wire.parsers import newsmlg2
from dateline.wire.parsers.common import NotAStory
from dateline.wire.story import WireError, WireStory
from tests.conftest import iptc_path

G2 = "newsml-g2/"
NAR = "http://iptc.org/std/nar/2006-10-01/"
EST = timezone(timedelta(hours=-5))
EDT = timezone(timedelta(hours=-4))


def example(name: str) -> bytes:
    return iptc_path(G2 + name).read_bytes()


def item(
    body: str = "<p>BRUSSELS (Reuters) - First paragraph.</p><p>Second paragraph.</p>",
    *,
    guid="urn:test:1",
    version="1",
    item_meta="",
    content_meta="",
    content_type="application/xhtml+xml",
    item_class="ninat:text",
) -> bytes:
    inline = (
        f'<html xmlns="http://www.w3.org/1999/xhtml"><body>{body}</body></html>' if "xhtml" in content_type else body
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<newsItem xmlns="{NAR}" guid="{guid}" version="{version}" standard="NewsML-G2" standardversion="2.35">
  <itemMeta>
    <itemClass qcode="{item_class}"/>
    <provider qcode="nprov:REUTERS"><name>Reuters</name></provider>
    <versionCreated>2012-12-02T15:12:00Z</versionCreated>
    <firstCreated>2012-12-02T15:12:00Z</firstCreated>
    {item_meta}
  </itemMeta>
  <contentMeta><headline>NATO set to approve Patriots for Turkey</headline>{content_meta}</contentMeta>
  <contentSet><inlineXML contenttype="{content_type}">{inline}</inlineXML></contentSet>
</newsItem>""".encode()


# --- IPTC's text examples, field by field ---------------------------------------------------------


def test_listing_2_nitf_text_document():
    story = newsmlg2.parse_bytes(example("LISTING_2_NewsML-G2_Text_Document.xml"))
    assert story.guid == "urn:newsml:acmenews.com:20161121:US-FINANCE-FED"
    assert story.version == 11
    assert story.headline == 'Fed to halt QE to avert "bubble"'
    assert story.published == datetime(2016, 11, 21, 15, 21, 6, tzinfo=EST)  # contentCreated: no firstCreated
    assert story.updated == story.version_created == datetime(2018, 11, 21, 16, 25, 32, tzinfo=EST)
    assert story.byline == "By Meredith Jameson"  # from the NITF byline, without the job title
    assert story.authors == ("Meredith Jameson",)
    assert story.dateline == "NEW YORK"
    assert story.agency == "Acme News and Media LLC"
    assert story.language == "en-US"
    assert story.slugline == "US-Finance-Fed"
    assert story.tags == ("economy, business and finance", "central bank", "money and monetary policy")
    assert story.subject_codes == ("medtop:04000000", "medtop:20000350", "medtop:20000379")
    assert story.pub_status == "usable"
    assert len(story.paragraphs) == 2
    assert story.paragraphs[0].startswith("(New York, NY - October 21) Et, sent luptat luptat")
    assert story.paragraphs[1].endswith("esto cons dolutpat, si.")
    assert "\n" not in story.paragraphs[0] and "  " not in story.paragraphs[0]


def test_listing_22_sports_story():
    story = newsmlg2.parse_bytes(example("LISTING_22_Sports_story_in_NewsML-G2NITF.xml"))
    assert story.guid == "tag:xmlteam.com,2016:xt.5932656-preview"
    assert story.version == 11
    assert story.headline == "Preview: Arizona Diamondbacks (29-23) at Philadelphia Phillies (26-24), 7:05 p.m."
    assert story.published == datetime(2016, 10, 19, 11, 15, tzinfo=EST)
    assert story.updated == datetime(2018, 10, 19, 11, 45, tzinfo=EDT)
    assert story.byline == "By The Sports Network" and story.authors == ("The Sports Network",)
    assert story.dateline == "PHILADELPHIA"  # located by a city qcode only
    assert story.summary.startswith("A pair of teams coming off big weekend sweeps will square off tonight")
    assert "  " not in story.summary
    assert story.slugline == "AAV!PREVIEW-ARI-PHI"
    assert "Baseball" in story.tags and "Philadelphia Phillies" in story.tags
    assert "medtop:20000822" in story.subject_codes  # broader codes count too
    assert len(story.paragraphs) == 6
    assert story.paragraphs[-1].startswith("Right-hander Freddy Garcia takes the hill")


def with_body(data: bytes, text: str = "Body text added by the test.") -> bytes:
    """An IPTC example whose inlineXML is empty, given a one-paragraph NITF body."""
    root = etree.fromstring(data)
    inline = root.find(f"{{{NAR}}}contentSet/{{{NAR}}}inlineXML")
    nitf = etree.SubElement(inline, "{http://iptc.org/std/NITF/2006-10-18/}nitf")
    body = etree.SubElement(nitf, "{http://iptc.org/std/NITF/2006-10-18/}body")
    content = etree.SubElement(body, "{http://iptc.org/std/NITF/2006-10-18/}body.content")
    etree.SubElement(content, "{http://iptc.org/std/NITF/2006-10-18/}p").text = text
    return etree.tostring(root)


def test_listing_1_item_metadata_embargo_note_and_signal():
    """LISTING_1 carries embargo, edNote and an update signal but an empty body; with a body it maps.

    A text item with no body is a story Dateline cannot read: a failure, never "skipped"."""
    data = example("LISTING_1_A_NewsML-G2_News_Item.xml")
    with pytest.raises(WireError, match="is a text item with no body text") as error:
        newsmlg2.parse_bytes(data)
    assert not isinstance(error.value, NotAStory)
    story = newsmlg2.parse_bytes(with_body(data))
    assert story.guid == "urn:newsml:acmenews.com:20161018:US-FINANCE-FED" and story.version == 11
    assert story.headline == 'Fed to halt QE to avert "bubble"'
    assert story.published == datetime(2016, 10, 18, 13, 12, 21, tzinfo=EST)  # firstCreated
    assert story.embargo == datetime(2018, 10, 23, 12, 0, tzinfo=UTC)
    assert story.ednote.startswith("Note to editors: STRICTLY EMBARGOED.")
    assert story.signals == ("update",)
    assert story.dateline == "BERLIN"
    assert story.authors == ("Meredith Jameson",) and story.byline == "By Meredith Jameson"
    assert story.agency == "Example Enews LLP"
    assert story.language == "en-GB"
    assert story.tags == ("economy, business and finance", "labour market")
    assert story.subject_codes == ("medtop:04000000", "medtop:20000523")
    assert story.paragraphs == ("Body text added by the test.",)


def test_signals_from_qcodes_and_uris():
    root = newsmlg2.parse_xml(example("unit_test_files/CR00183_qcodetype_attributes_cardinality.xml"))
    assert newsmlg2.item_signals(root.find(f"{{{NAR}}}itemMeta")) == ("correction",)
    package = newsmlg2.parse_xml(example("LISTING_6_Simple_NewsML-G2_Package.xml"))
    assert newsmlg2.item_signals(package.find(f"{{{NAR}}}itemMeta")) == ("update",)


def test_a_text_item_whose_abstract_is_all_there_is():
    story = newsmlg2.parse_bytes(example("LISTING_27_Company_Financial_Information.xml"))
    assert story.headline == "Acme Widgets announces annual results"
    assert story.paragraphs[0].startswith("Acme Widgets (XTSE:AWG), a leader in the production")
    assert story.tags == ("Acme Widget Sales Inc",)


@pytest.mark.parametrize(
    "name, reason",
    [
        ("LISTING_3_Photo_in_NewsML-G2.xml", "is a picture item"),
        ("LISTING_3A_Photo_in_NewsML-G2_(URI_sibling_attributes).xml", "is a picture item"),
        ("LISTING_26_Embedded_photo_metadata_fields_mapped_to_NewsML-G2.xml", "is a picture item"),
        ("LISTING_4_Multiple_Renditions_of_a_Video_in_NewsML-G2.xml", "is a video item"),
        ("ap_metadata_example.xml", "is a video item"),
        ("LISTING_16_A_Set_of_Events_carried_in_a_News_Item.xml", "is a composite item"),
        ("LISTING_6_Simple_NewsML-G2_Package.xml", "is a package of 2 item reference"),
        ("LISTING_25_An_NITF_marked-up_article_conveyed_in_inlineXML.xml", "root element <contentSet> is not"),
        ("LISTING_9_Group_Set_example_showing_a_SEQ_Package_Mode.xml", "root element <groupSet> is not"),
    ],
)
def test_items_that_are_not_text_stories_say_so(name, reason):
    with pytest.raises(NotAStory, match="not a text story") as error:
        newsmlg2.parse_bytes(example(name))
    assert reason in str(error.value)


def test_every_iptc_example_gives_a_story_or_a_clear_report():
    files = sorted(p for p in iptc_path(G2).rglob("*.xml") if "xsd" not in p.parts)
    assert len(files) >= 15, "the IPTC examples are incomplete"
    stories = 0
    for path in files:
        try:
            results = newsmlg2.parse_items(path.read_bytes())
        except WireError as exc:
            results = [(path.name, exc)]
        for label, outcome in results:
            if isinstance(outcome, WireStory):
                stories += 1
                assert outcome.headline and outcome.paragraphs, path.name
            else:
                assert isinstance(outcome, WireError), (path.name, label, outcome)
                assert str(outcome), (path.name, label)
                assert type(outcome) is not WireError or label in str(outcome) or "no itemMeta" in str(outcome)
    assert stories == 3  # LISTING_2, LISTING_22 and LISTING_27


def test_a_picture_item_as_a_photo():
    root = newsmlg2.parse_xml(example("LISTING_3_Photo_in_NewsML-G2.xml"))
    photo = newsmlg2.picture_from_item(root)
    assert photo.caption.startswith("A general view of part of downtown, including Las Vegas Boulevard")
    assert photo.credit == "Spencer Platt/Getty Images"
    assert photo.href == "./GYI0062134533.jpg"  # the high-resolution rendition, not the web one or the thumb


def test_a_news_message_packaging_a_text_item_with_a_picture():
    """IPTC's text and picture examples sent together, the package grouping them."""
    text = etree.fromstring(example("LISTING_2_NewsML-G2_Text_Document.xml"))
    picture = etree.fromstring(example("LISTING_3_Photo_in_NewsML-G2.xml"))
    message = etree.fromstring(
        f"""<newsMessage xmlns="{NAR}"><header><sent>2018-11-21T21:30:00Z</sent></header>
      <itemSet><packageItem guid="urn:test:package" version="1"><itemMeta><itemClass qcode="ninat:composite"/>
        <versionCreated>2018-11-21T21:30:00Z</versionCreated></itemMeta><groupSet root="G1"><group id="G1">
        <itemRef residref="{text.get("guid")}"/><itemRef residref="{picture.get("guid")}"/></group></groupSet>
      </packageItem></itemSet></newsMessage>""".encode()
    )
    message.find(f"{{{NAR}}}itemSet").extend([text, picture])
    results = dict(newsmlg2.parse_items(etree.tostring(message)))
    story = results[text.get("guid")]
    assert story.headline == 'Fed to halt QE to avert "bubble"'
    assert [p.credit for p in story.photos] == ["Spencer Platt/Getty Images"]
    assert story.photos[0].caption.startswith("A general view of part of downtown")
    assert "imported as a photo of" in str(results[picture.get("guid")])
    assert isinstance(results["urn:test:package"], NotAStory)


def test_a_news_message_with_placeholder_items_reports_each():
    results = newsmlg2.parse_items(example("LISTING_24_News_Message_conveying_a_complete_News_Package.xml"))
    errors = {label: str(outcome) for label, outcome in results if not isinstance(outcome, NotAStory)}
    assert errors == {
        f"N{n}": f"newsItem N{n} has no itemMeta (it cannot be a complete NewsML-G2 item)" for n in range(1, 5)
    }


# --- mapping details on hand-written items --------------------------------------------------------


def test_dateline_and_agency_from_the_first_paragraph_and_by_element():
    story = newsmlg2.parse_bytes(item(content_meta="<by>Adrian Croft and Justyna Pawlak</by>"))
    assert story.dateline == "BRUSSELS" and story.agency == "Reuters"
    assert story.paragraphs[0] == "First paragraph."
    assert story.byline == "By Adrian Croft and Justyna Pawlak"
    assert story.authors == ("Adrian Croft", "Justyna Pawlak")


def test_subheadline_urgency_and_creditline():
    story = newsmlg2.parse_bytes(
        item(
            content_meta=(
                '<headline role="hrol:subheadline">Russia warns of a wider conflict</headline>'
                "<urgency>3</urgency><creditline>Reuters/Agency pool</creditline>"
            )
        )
    )
    assert story.subheadline == "Russia warns of a wider conflict"
    assert story.urgency == 3 and story.agency == "Reuters/Agency pool"


@pytest.mark.parametrize(
    "qcode, status", [("stat:usable", "usable"), ("stat:withheld", "withdrawn"), ("stat:canceled", "canceled")]
)
def test_publication_status(qcode, status):
    story = newsmlg2.parse_bytes(item(item_meta=f'<pubStatus qcode="{qcode}"/>'))
    assert story.pub_status == status and story.withdrawn == (status != "usable")


def test_a_correction_signal_and_its_note():
    story = newsmlg2.parse_bytes(
        item(
            version="3",
            item_meta=(
                '<signal qcode="sig:correction"/><edNote>Corrects the spelling of the minister\'s name.</edNote>'
            ),
        )
    )
    assert story.is_correction and story.ednote == "Corrects the spelling of the minister's name."


def test_nitf_photos_in_the_body():
    body = """<nitf xmlns="http://iptc.org/std/NITF/2006-10-18/"><body><body.content><p>Text.</p>
      <media media-type="image"><media-reference source="pics/patriot.jpg"/>
      <media-caption>A Patriot battery in 2012.</media-caption><media-producer>REUTERS/Staff</media-producer></media>
      </body.content></body></nitf>"""
    story = newsmlg2.parse_bytes(item(body, content_type="application/nitf+xml"))
    assert story.paragraphs == ("Text.",)
    assert [(p.caption, p.credit, p.href) for p in story.photos] == [
        ("A Patriot battery in 2012.", "REUTERS/Staff", "pics/patriot.jpg")
    ]


def test_plain_text_inline_data():
    data = item().replace(b'<inlineXML contenttype="application/xhtml+xml">', b'<inlineData contenttype="text/plain">')
    data = data.replace(b"</inlineXML>", b"</inlineData>")
    data = data.replace(
        b'<html xmlns="http://www.w3.org/1999/xhtml"><body><p>BRUSSELS (Reuters) - First paragraph.</p>'
        b"<p>Second paragraph.</p></body></html>",
        b"One &lt;b&gt;line.\n\nTwo.",
    )
    assert newsmlg2.parse_bytes(data).paragraphs == ("One &lt;b&gt;line.", "Two.")


# --- safety and bad input -------------------------------------------------------------------------


def test_body_html_is_sanitised():
    story = newsmlg2.parse_bytes(
        item(
            '<p onclick="steal()" style="color:red">Hello <b>bold</b> <a href="javascript:alert(1)">bad</a> '
            '<a href="https://example.org/" onmouseover="x()">good</a><script>evil()</script></p>'
            '<iframe src="https://evil.example/"/><style>p { display: none }</style><p>Next <img src="x" onerror="x()"/></p>'
        )
    )
    html = " ".join(story.paragraphs)
    for banned in ("script", "evil", "onclick", "onmouseover", "onerror", "style", "iframe", "javascript", "<img"):
        assert banned not in html
    assert story.paragraphs == (
        'Hello <b>bold</b> <a rel="noopener noreferrer">bad</a> '
        '<a href="https://example.org/" rel="noopener noreferrer">good</a>',
        "Next",
    )


XXE = b"""<?xml version="1.0"?>
<!DOCTYPE newsItem [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="x"><contentMeta><headline>&xxe;</headline></contentMeta></newsItem>"""

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="x"><contentMeta><headline>&lol9;</headline></contentMeta></newsItem>"""


@pytest.mark.parametrize("payload", [XXE, BILLION_LAUGHS], ids=["xxe", "billion-laughs"])
def test_entity_attacks_are_refused(payload):
    with pytest.raises(WireError, match="DOCTYPE with declarations of its own or an ENTITY declaration") as error:
        newsmlg2.parse_bytes(payload)
    assert "root:" not in str(error.value) and "lollol" not in str(error.value)


def test_the_safe_parser_itself_expands_nothing_and_fetches_nothing():
    """Even past the DOCTYPE check (an entity smuggled after a BOM and comment), lxml is told not to resolve."""
    root = etree.fromstring(XXE, newsmlg2._parser())
    assert "root:" not in etree.tostring(root, encoding="unicode")
    sneaky = b"\xef\xbb\xbf<!-- a comment first -->\n" + XXE.split(b"\n", 1)[1]
    with pytest.raises(WireError, match="DOCTYPE"):
        newsmlg2.parse_bytes(sneaky)


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "the file is empty"),
        (b"<newsItem", "malformed XML at line 1"),
        (b"<newsItem xmlns='http://iptc.org/std/nar/2006-10-01/'><itemMeta/></newsItem>", "has no guid"),
        (item().replace(b"<headline>NATO set to approve Patriots for Turkey</headline>", b""), "has no headline"),
        (item().replace(b"2012-12-02T15:12:00Z", b"yesterday"), "invalid date in urn:test:1 versionCreated"),
        (item().replace(b"2012-12-02T15:12:00Z", b"2012-12-02T15:12:00"), "has no time zone"),
        (item(version="seven"), "version 'seven' is not a whole number"),
        (item(item_meta='<pubStatus qcode="stat:lost"/>'), "unknown pubStatus 'stat:lost'"),
    ],
)
def test_bad_input_names_what_is_wrong(data, message):
    with pytest.raises(WireError) as error:
        newsmlg2.parse_bytes(data)
    assert message in str(error.value)
