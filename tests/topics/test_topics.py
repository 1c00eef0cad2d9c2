"""Topics on stories: automatic tagging, editors' choices, topic and author pages, related stories."""

import io
from dataclasses import replace
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from dateline.demo.topics import load_topics
from dateline.news.models import ArticlePage, Author
from dateline.topics.models import StoryTopic, Topic, TopicChoice
from dateline.topics.related import related_stories
from dateline.wire.importer import import_story
from dateline.wire.story import WireStory

pytestmark = pytest.mark.django_db

SEED_TOPICS = {
    "NATO",
    "Russia",
    "Turkey",
    "Syria",
    "Afghanistan",
    "Brussels",
    "Sergei Lavrov",
    "Hillary Clinton",
    "Vladimir Putin",
}


def names(page):
    return {row.topic.name for row in StoryTopic.objects.filter(page=page).select_related("topic")}


def story(guid, headline, text, hours_ago=1, **fields):
    base = WireStory(
        guid=guid,
        headline=headline,
        paragraphs=(text,),
        source_format="test",
        published=timezone.now().replace(microsecond=0) - timedelta(hours=hours_ago),
    )
    return import_story(replace(base, **fields), section="world").page


def test_the_seed_story_is_tagged_with_the_people_and_places_it_names(world, seed_path):
    load_topics()
    from dateline.wire.ingest import read_story

    page = import_story(read_story(seed_path), section="world").page
    assert SEED_TOPICS <= names(page)


def test_tagging_happens_on_publish_and_an_unpublished_story_is_on_no_list(world):
    Topic.objects.create(name="Port Adley", kind="place")
    page = story("urn:t:1", "Port Adley opens a library", "The library in Port Adley has 40,000 books.")
    assert names(page) == {"Port Adley"}
    page.unpublish()
    assert not StoryTopic.objects.filter(page=page).exists()


def test_an_embargoed_story_is_tagged_when_it_goes_live(world):
    Topic.objects.create(name="Velmora", kind="place")
    page = story("urn:t:2", "Velmora budget", "Velmora sets its budget.", embargo=timezone.now() + timedelta(hours=3))
    assert not StoryTopic.objects.filter(page=page).exists()


def test_editors_choices_survive_retagging(world, client):
    nato = Topic.objects.create(name="NATO", kind="organisation")
    turkey = Topic.objects.create(name="Turkey", kind="place")
    defence = Topic.objects.create(name="Defence", kind="subject", aliases="missile defence")
    page = story("urn:t:3", "NATO to discuss Turkey's request", "NATO envoys will discuss Turkey's request on Tuesday.")
    assert names(page) == {"NATO", "Turkey"}

    page = page.get_latest_revision_as_object()  # an editor: about defence, not about Turkey
    page.topic_choices = [TopicChoice(topic=defence, choice="add"), TopicChoice(topic=turkey, choice="remove")]
    page.save_revision().publish()
    assert names(page) == {"NATO", "Defence"}
    call_command("retag", stdout=io.StringIO())
    assert names(page) == {"NATO", "Defence"}
    auto = dict(StoryTopic.objects.filter(page=page).values_list("topic__name", "auto"))
    assert auto == {"NATO": True, "Defence": False}

    # A new version from the wire re-tags from its text; the editor's choices still hold.
    story(
        "urn:t:3",
        "NATO approves Turkey's request",
        "NATO approved Turkey's request for missile defence.",
        version=2,
        version_created=timezone.now(),
    )
    assert names(ArticlePage.objects.get(pk=page.pk)) == {"NATO", "Defence"}
    soup = BeautifulSoup(client.get(page.url).content, "html.parser")
    assert [a.text for a in soup.select(".story__topics a")] == ["Defence", "NATO"]
    assert soup.select_one(".story__topics a")["href"] == "/topics/defence/"
    assert nato.url == "/topics/nato/"


def test_a_vague_alias_is_refused():
    topic = Topic(name="NATO", aliases="North Atlantic Treaty Organization\nthe alliance")
    with pytest.raises(ValidationError, match="too vague"):
        topic.full_clean()


def test_topic_pages(world, client):
    load_topics()
    older = story("urn:t:4", "NATO and Russia meet", "NATO met Russia in Brussels.", hours_ago=30)
    newer = story("urn:t:5", "NATO ministers gather", "NATO ministers gathered in Brussels.", hours_ago=2)
    story("urn:t:6", "Russia holds talks", "Russia held talks in Moscow.", hours_ago=1)
    response = client.get("/topics/nato/")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.h1.text == "NATO"
    assert "North Atlantic alliance" in soup.select_one(".profile__bio").text
    assert [a.text for a in soup.select(".story-list .teaser__headline a")] == [newer.title, older.title]
    related = [a.text for a in soup.select(".topic-list a")]
    assert related[0] == "Brussels" and "Russia" in related  # Brussels is in both NATO stories
    assert ("application/rss+xml", "/feeds/topic/nato/rss/") in [
        (link["type"], link["href"]) for link in soup.select('link[rel="alternate"]')
    ]
    feed = client.get("/feeds/topic/nato/rss/").content.decode()
    assert newer.title in feed and "Russia holds talks" not in feed
    assert client.get("/topics/nothing-here/").status_code == 404
    assert client.get("/topics/nato/?page=9").status_code == 404


def test_topic_pages_are_paged(world, client, monkeypatch):
    from dateline.news import pages

    Topic.objects.create(name="Ostrel coast", kind="place")
    for n in range(3):
        story(f"urn:t:p{n}", f"Ostrel coast report {n}", "News from the Ostrel coast.", hours_ago=10 - n)
    monkeypatch.setattr(pages, "LIST_PAGE_SIZE", 2)
    monkeypatch.setattr(pages.paginate, "__defaults__", (2,))
    second = BeautifulSoup(client.get("/topics/ostrel-coast/?page=2").content, "html.parser")
    assert [a.text for a in second.select(".story-list .teaser__headline a")] == ["Ostrel coast report 0"]
    assert "Page 2 of 2" in second.select_one(".list-pager").text


def test_related_stories(world, client):
    load_topics()
    page = story("urn:r:0", "NATO, Russia and Turkey", "NATO and Russia discussed Turkey in Brussels.", hours_ago=1)
    three = story("urn:r:1", "Three shared", "NATO, Russia and Turkey again.", hours_ago=48)
    two_new = story("urn:r:2", "Two shared, new", "NATO and Russia.", hours_ago=2)
    two_old = story("urn:r:3", "Two shared, old", "NATO and Russia.", hours_ago=24 * 90)
    one = story("urn:r:4", "One shared", "Brussels traffic.", hours_ago=3)
    story("urn:r:5", "Nothing shared", "Port Adley weather.", hours_ago=1)
    gone = story("urn:r:6", "Unpublished, three shared", "NATO, Russia and Turkey.", hours_ago=1)
    gone.unpublish()
    for n in range(4):
        story(f"urn:r:x{n}", f"Also shared {n}", "NATO and Russia and Turkey.", hours_ago=24 * 400 + n)

    ranked = related_stories(page)
    assert len(ranked) == 5 and page not in ranked and gone.pk not in [p.pk for p in ranked]
    titles = [p.title for p in ranked]
    assert titles[:3] == [three.title, two_new.title, one.title] or titles[:3] == [
        three.title,
        two_new.title,
        two_old.title,
    ]
    assert titles.index(two_new.title) < titles.index(two_old.title)  # equal topics: the newer first
    soup = BeautifulSoup(client.get(page.url).content, "html.parser")
    assert [a.text for a in soup.select(".related a")] == titles


def test_author_pages(world, client):
    page = story("urn:a:1", "Council votes", "The council voted.", byline="By Ana Ruiz", authors=("Ana Ruiz",))
    author = Author.objects.get(name="Ana Ruiz")
    author.bio = "Ana Ruiz covers city hall."
    author.save()
    soup = BeautifulSoup(client.get("/authors/ana-ruiz/").content, "html.parser")
    assert soup.h1.text == "Ana Ruiz" and soup.select_one(".profile__bio").text == "Ana Ruiz covers city hall."
    assert [a["href"] for a in soup.select(".story-list a")] == [page.url]
    assert client.get("/authors/nobody/").status_code == 404


def test_suggest_topics_proposes_repeated_names_and_accepts_one(world):
    Topic.objects.create(name="NATO", kind="organisation")
    story("urn:s:1", "Envoy visits", "Envoy Ilse Varga met NATO staff. Officials said little.")
    story("urn:s:2", "Envoy returns", "The talks ended when Ilse Varga left. Officials were pleased.")
    story("urn:s:3", "Weather", "Rain in the hills. Officials said nothing.")
    out = io.StringIO()
    call_command("suggest_topics", stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) > 2, out.getvalue()
    assert lines[1].split() == ["Ilse", "Varga", "2", "2"]
    assert not any(line.startswith(("NATO", "Officials", "Envoy ")) for line in lines)
    call_command("suggest_topics", accept=["Ilse Varga"], kind="person", stdout=io.StringIO())
    topic = Topic.objects.get(name="Ilse Varga")
    assert topic.kind == "person" and StoryTopic.objects.filter(topic=topic).count() == 2


def test_empty_lists_say_so(world, client):
    Topic.objects.create(name="Lorenfield", kind="place")
    assert "No stories about Lorenfield are on the site yet." in client.get("/topics/lorenfield/").content.decode()
    assert "No stories in World yet." in client.get(world.url).content.decode()
