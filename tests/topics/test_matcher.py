"""The alias matcher on hand-written cases. No database."""

import pytest

from dateline.topics.matcher import TopicMatcher

TOPICS = {
    1: ["Turkey", "Türkiye"],
    2: ["Russia", "Russian Federation"],
    3: ["United States", "US", "U.S."],
    4: ["Sergei Lavrov", "Lavrov"],
    5: ["NATO", "North Atlantic Treaty Organization"],
    6: ["climate change"],
    7: ["Brussels"],
    8: ["Bashar al-Assad", "Assad"],
}


@pytest.fixture(scope="module")
def matcher():
    return TopicMatcher(TOPICS.items())


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Turkey asked for Patriot missiles.", {1}),
        ("Farmers raised more turkeys and Turkeys this year.", set()),  # inside a longer word, and the bird
        ("A roast turkey for the holiday.", set()),  # lower case: the bird, not the country
        ("TURKEY AND RUSSIA TALK", {1, 2}),  # a headline in capitals
        ("Russia's foreign minister", {2}),  # possessive
        ("Russia’s foreign minister", {2}),  # curly apostrophe
        ("a pro-Russia rally", {2}),  # a hyphen is a boundary
        ("Russian troops", set()),  # an adjective is not the name
        ("Sergei\n   Lavrov arrived", {4}),  # a line break inside the name
        ("talks with Lav-\nrov on Tuesday", {4}),  # a word split by a hyphen at a line end
        ("the US and its allies", {3}),
        ("let us meet", set()),  # "us" is not the US
        ("U.S. Secretary of State", {3}),
        ("the North Atlantic Treaty Organization met", {5}),
        ("Climate change and climate CHANGE", {6}),  # a lower-case alias matches in any case
        ("BRUSSELS (Reuters) - NATO", {5, 7}),
        ("President Bashar al-Assad said", {8}),
        ("Türkiye and Ankara", {1}),
        ("Assadi is another name", set()),
        ("", set()),
    ],
)
def test_whole_words_and_capitals(matcher, text, expected):
    assert matcher.find(text) == expected


def test_every_topic_in_one_pass_over_a_long_text(matcher):
    text = "Lavrov met NATO envoys in Brussels. " * 2000 + "Then he flew to Turkey."
    assert matcher.find(text) == {1, 4, 5, 7}


def test_thousands_of_topics():
    many = TopicMatcher((n, [f"Placename{n}", f"Person Number{n}"]) for n in range(5000))
    assert many.find("From Placename42 to Placename4999, with Person Number7; not Placename5000.") == {42, 4999, 7}


def test_an_empty_topic_list_finds_nothing():
    assert TopicMatcher([]).find("Anything at all") == set()
