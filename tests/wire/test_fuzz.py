"""Property-based tests: any input to a parser gives a WireStory or a WireError, never another exception.

Bounded for the suite (DATELINE_FUZZ_EXAMPLES, default 150 a test); `make fuzz` runs 5,000."""

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from dateline.wire.parsers import newsmlg2, ninjs, plaintext
from dateline.wire.story import WireError, WireStory
from tests.conftest import iptc_path

EXAMPLES = int(os.environ.get("DATELINE_FUZZ_EXAMPLES", "150"))
fuzz = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def outcome_of(parse, data):
    try:
        result = parse(data)
    except WireError as error:
        assert str(error), "a WireError must say what is wrong"
        return error
    assert isinstance(result, (WireStory, list))
    return result


@fuzz
@given(st.binary(max_size=4000))
def test_plain_text_bytes(data):
    outcome_of(plaintext.parse_bytes, data)


SEED_LINES = [
    "NATO aims to repair Russia ties",
    "Sun Dec 2, 2012 10:12am EST",
    "By Adrian Croft",
    "BRUSSELS (Reuters) - NATO foreign ministers met.",
    "Continued...",
    "Email This Article",
    "",
]


@fuzz
@given(st.lists(st.one_of(st.sampled_from(SEED_LINES), st.text(max_size=80)), max_size=40))
def test_plain_text_shaped_like_a_capture(lines):
    outcome_of(plaintext.parse, "\n".join(lines))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=25,
)
NINJS_KEYS = [
    "uri",
    "type",
    "version",
    "versioncreated",
    "firstcreated",
    "headline",
    "headlines",
    "body_html",
    "bodies",
    "byline",
    "by",
    "located",
    "subjects",
    "associations",
    "pubstatus",
    "embargoed",
    "urgency",
    "language",
    "descriptions",
    "copyrightholder",
    "versionCreated",
    "pubStatus",
]


@fuzz
@given(st.dictionaries(st.sampled_from(NINJS_KEYS), json_values, max_size=12))
def test_ninjs_documents(document):
    outcome_of(ninjs.parse_bytes, json.dumps(document).encode())


@fuzz
@given(st.sampled_from(NINJS_KEYS), json_values)
def test_a_real_ninjs_document_with_one_field_changed(key, value):
    document = json.loads(iptc_path("ninjs/examples/2.1/dpa_text.json").read_text())
    document[key] = value
    outcome_of(ninjs.parse_bytes, json.dumps(document).encode())


XML_PIECES = [
    '<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="g" version="2">',
    "</newsItem>",
    "<itemMeta>",
    "</itemMeta>",
    '<itemClass qcode="ninat:text"/>',
    "<versionCreated>",
    "</versionCreated>",
    "2024-01-01T00:00:00Z",
    "<contentMeta>",
    "</contentMeta>",
    "<headline>",
    "</headline>",
    "<contentSet>",
    "</contentSet>",
    '<inlineXML contenttype="application/xhtml+xml">',
    "</inlineXML>",
    "<p>",
    "</p>",
    '<pubStatus qcode="stat:withheld"/>',
    "<!DOCTYPE x>",
    "&amp;",
    "&lt;",
    "<![CDATA[x]]>",
]


@fuzz
@given(st.lists(st.one_of(st.sampled_from(XML_PIECES), st.text(max_size=20)), max_size=30))
def test_newsml_g2_documents(pieces):
    outcome_of(newsmlg2.parse_items, "".join(pieces).encode())


@fuzz
@given(st.binary(max_size=2000))
def test_newsml_g2_bytes(data):
    outcome_of(newsmlg2.parse_items, b"<?xml version='1.0'?>" + data)


@pytest.mark.django_db
@fuzz
@given(
    st.dictionaries(
        st.sampled_from(["recipients", "sender_name", "sender_email", "note", "website"]),
        st.text(max_size=300),
        max_size=5,
    )
)
def test_the_email_form_takes_anything(data):
    from dateline.reader.forms import EmailStoryForm

    form = EmailStoryForm(data=data)
    assert form.is_valid() in (True, False)
    if not form.is_valid():
        assert form.errors


# --- every format through the registry: detection and parsing, on bytes shaped like each format ---------

AGENCIES = Path(__file__).resolve().parents[1] / "fixtures" / "agencies"
AGENCY_FIXTURES = sorted(AGENCIES.rglob("*.*"))


def registry_outcome(data: bytes, name: str = "item.xml"):
    from dateline.wire import parsers

    try:
        fmt = parsers.detect(Path(name), data)
        items = parsers.parse(data, fmt)
    except WireError as error:
        assert str(error), "a WireError must say what is wrong"
        return error
    for label, outcome in items:
        assert isinstance(label, str) and isinstance(outcome, (WireStory, WireError))
        if isinstance(outcome, WireError):
            assert str(outcome)
    return items


@fuzz
@given(
    st.sampled_from([p for p in AGENCY_FIXTURES if p.suffix != ".md"]),
    st.integers(min_value=0, max_value=4000),
    st.integers(min_value=0, max_value=200),
    st.binary(max_size=40),
)
# Found by this property: the cut leaves lxml an element named 'class="main"', which QName refused.
@example(path=AGENCIES / "dpa-ninjs-header-block.json", cut=576, length=8, splice=b"")
def test_agency_files_cut_and_spliced_anywhere(path, cut, length, splice):
    """A real-shaped file with a piece cut out and random bytes put in: a story or a clear error, nothing else."""
    data = path.read_bytes()
    cut = min(cut, len(data))
    registry_outcome(data[:cut] + splice + data[cut + length :], path.name)


@fuzz
@given(st.binary(max_size=2000), st.sampled_from(["x.xml", "x.json", "x.txt", "x.eml", "x"]))
def test_any_bytes_through_the_registry(data, name):
    registry_outcome(data, name)
