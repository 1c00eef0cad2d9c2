"""The plain-text capture parser, on the seed and on hand-made variants. No database."""

from datetime import UTC, datetime

import pytest

from dateline.wire.parsers import plaintext
from dateline.wire.story import WireError

CHROME = """
Email This Article |
Share This Article
  \u2022 Facebook
  \u2022 LinkedIn
  \u2022 Twitter
| Print This Article | Single Page
[-] Text [+]
"""


def capture(stamp="Sun Dec 2, 2012 10:12am EST", byline="By Jane Doe", body=None, caption=None, continued=True):
    body = body or [
        "GENEVA (Reuters) - Delegates met on Sunday to talk about water.",
        "A second paragraph follows here.",
    ]
    parts = ["A headline about water", "", stamp, "\u00a0", CHROME]
    if byline:
        parts += [byline, ""]
    text = "\n\n".join(body)
    parts.append(text + ("\u00a0\u00a0 Continued..." if continued else ""))
    if caption:
        parts += ["", "\u00a0", caption]
    return "\n".join(parts)


class TestSeed:
    @pytest.fixture(autouse=True)
    def story(self, seed_text):
        self.story = plaintext.parse(seed_text)

    def test_headline(self):
        assert self.story.headline == "NATO aims to repair Russia ties despite Patriot row"

    def test_time_stamp_to_the_minute_in_utc(self):
        assert self.story.published.astimezone(UTC) == datetime(2012, 12, 2, 15, 12, tzinfo=UTC)
        assert self.story.published.tzname() == "EST"

    def test_byline(self):
        assert self.story.byline == "By Adrian Croft"
        assert self.story.authors == ("Adrian Croft",)

    def test_dateline_city_and_agency(self):
        assert self.story.dateline == "BRUSSELS"
        assert self.story.agency == "Reuters"

    def test_eight_paragraphs_first_and_last_words(self):
        paragraphs = self.story.paragraphs
        assert len(paragraphs) == 8
        assert paragraphs[0].startswith("NATO foreign ministers, meeting")
        assert paragraphs[0].endswith("anti-aircraft missiles to Turkey.")
        assert paragraphs[6].startswith("&quot;We will tell them") or paragraphs[6].startswith('"We will tell them')
        assert paragraphs[7].startswith("The NATO meeting coincides")
        assert paragraphs[7].endswith("the war in Syria.")
        assert not any("Continued" in p for p in paragraphs)
        assert not any("Email This Article" in p or "Facebook" in p for p in paragraphs)

    def test_caption_and_credit(self):
        (photo,) = self.story.photos
        assert photo.caption.startswith("A woman walks past the NATO logo")
        assert photo.caption.endswith("in Brussels December 4, 2003.")
        assert photo.credit == "REUTERS/Thierry Roge"

    def test_continued_flag(self):
        assert self.story.continued is True

    def test_guid_is_stable(self, seed_text):
        assert plaintext.parse(seed_text).guid == self.story.guid


@pytest.mark.parametrize(
    "zone, utc_hour",
    [
        ("EST", 15),
        ("EDT", 14),
        ("CST", 16),
        ("CDT", 15),
        ("PST", 18),
        ("PDT", 17),
        ("GMT", 10),
        ("UTC", 10),
        ("BST", 9),
        ("CET", 9),
        ("CEST", 8),
    ],
)
def test_zone_abbreviations(zone, utc_hour):
    story = plaintext.parse(capture(stamp=f"Sun Dec 2, 2012 10:12am {zone}"))
    assert story.published.astimezone(UTC) == datetime(2012, 12, 2, utc_hour, 12, tzinfo=UTC)


def test_pm_and_noon_and_midnight():
    assert plaintext.parse(capture(stamp="Sun Dec 2, 2012 3:05pm GMT")).published.hour == 15
    assert plaintext.parse(capture(stamp="Sun Dec 2, 2012 12:30pm GMT")).published.hour == 12
    assert plaintext.parse(capture(stamp="Sun Dec 2, 2012 12:30am GMT")).published.hour == 0


@pytest.mark.parametrize(
    "caption, expected_caption, expected_credit",
    [
        (
            "Troops stand guard in Kabul, March 3, 2012. REUTERS/Omar Sobhani",
            "Troops stand guard in Kabul, March 3, 2012.",
            "REUTERS/Omar Sobhani",
        ),
        (
            "A protester holds a flag in Athens. AP Photo/Petros Giannakouris",
            "A protester holds a flag in Athens.",
            "AP Photo/Petros Giannakouris",
        ),
        (
            "Ministers arrive for talks in Brussels. AFP PHOTO/ JOHN THYS",
            "Ministers arrive for talks in Brussels.",
            "AFP PHOTO/JOHN THYS",
        ),
        (
            "Ministers pose for a family photo. AFP PHOTO / POOL / Eric Feferberg",
            "Ministers pose for a family photo.",
            "AFP PHOTO/POOL/Eric Feferberg",
        ),
    ],
)
def test_credit_forms(caption, expected_caption, expected_credit):
    (photo,) = plaintext.parse(capture(caption=caption)).photos
    assert (photo.caption, photo.credit) == (expected_caption, expected_credit)


def test_caption_without_continued_marker():
    story = plaintext.parse(capture(continued=False, caption="A dam on the river. REUTERS/Denis Balibouse"))
    assert len(story.paragraphs) == 2
    assert story.photos[0].credit == "REUTERS/Denis Balibouse"
    assert story.continued is False


def test_missing_byline():
    story = plaintext.parse(capture(byline=""))
    assert story.byline == "" and story.authors == ()
    assert story.paragraphs[0] == "Delegates met on Sunday to talk about water."


def test_two_authors():
    story = plaintext.parse(capture(byline="By Jane Doe and John Roe"))
    assert story.authors == ("Jane Doe", "John Roe")


def test_missing_photo():
    story = plaintext.parse(capture(caption=None))
    assert story.photos == ()


def test_paragraph_text_is_escaped():
    story = plaintext.parse(capture(body=["GENEVA (Reuters) - A <script>alert(1)</script> & more."]))
    assert story.paragraphs[0] == "A &lt;script&gt;alert(1)&lt;/script&gt; &amp; more."


def test_no_dateline_keeps_first_paragraph_whole():
    story = plaintext.parse(capture(body=["Delegates met on Sunday.", "More."]))
    assert story.dateline == "" and story.agency == ""
    assert story.paragraphs[0] == "Delegates met on Sunday."


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "empty"),
        (b"   \n\n  ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"\xff\xfe headline", "UTF-16 byte-order mark but is not UTF-16"),
    ],
)
def test_unreadable_bytes(data, reason):
    with pytest.raises(WireError, match=reason):
        plaintext.parse_bytes(data)


def test_no_headline():
    with pytest.raises(WireError, match="no headline"):
        plaintext.parse("Sun Dec 2, 2012 10:12am EST\n\nBRUSSELS (Reuters) - Text.")


def test_no_time_stamp():
    with pytest.raises(WireError, match="no time stamp"):
        plaintext.parse("A headline\n\nBRUSSELS (Reuters) - Text.")


@pytest.mark.parametrize(
    "stamp, reason",
    [
        ("Thu Feb 30, 2012 10:12am EST", "impossible date"),
        ("Sun Dec 2, 2012 13:12am EST", "impossible time"),
        ("Sun Dec 2, 2012 10:75am EST", "impossible time"),
        ("Mon Dec 2, 2012 10:12am EST", "was a Sunday"),
        ("Sun Dec 2, 2012 10:12am XYZ", "unknown time zone"),
    ],
)
def test_impossible_time_stamps(stamp, reason):
    with pytest.raises(WireError, match=reason):
        plaintext.parse(capture(stamp=stamp))


def test_no_body():
    with pytest.raises(WireError, match="no body"):
        plaintext.parse("A headline\nSun Dec 2, 2012 10:12am EST\n" + CHROME + "\nBy Jane Doe\n")
