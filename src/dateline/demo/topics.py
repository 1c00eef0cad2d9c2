"""The demo's topic list: the places, people, organisations and subjects its stories name,
and those of the seed story (NATO, Russia, Turkey ...). Written for this project."""

TOPICS = [
    # (name, kind, aliases, description)
    (
        "NATO",
        "organisation",
        ["North Atlantic Treaty Organization"],
        "The North Atlantic alliance of European and North American states.",
    ),
    ("Russia", "place", ["Russian Federation"], ""),
    ("Turkey", "place", ["Türkiye", "Republic of Turkey"], ""),
    ("Syria", "place", [], ""),
    ("Afghanistan", "place", [], ""),
    ("Brussels", "place", [], "Belgium's capital, home to NATO's headquarters."),
    ("Moscow", "place", [], ""),
    ("United Nations", "organisation", ["U.N.", "UN"], ""),
    ("United States", "place", ["U.S.", "US", "USA", "United States of America"], ""),
    ("Sergei Lavrov", "person", ["Lavrov"], "Russia's foreign minister."),
    ("Hillary Clinton", "person", ["Hillary Rodham Clinton"], ""),
    ("Vladimir Putin", "person", ["Putin"], "President of Russia."),
    ("Bashar al-Assad", "person", ["Assad"], "President of Syria."),
    ("Port Adley", "place", [], "The demo's largest city, on the Adley estuary."),
    ("Ostrel coast", "place", ["Ostrel Sea"], "The eroding coastline and the sea it faces."),
    ("Velmora", "place", [], "A harbour town on the Ostrel coast."),
    ("Sandvik", "place", [], "A fishing village on the Ostrel coast."),
    ("Eastmoor", "place", [], ""),
    ("Kessling", "place", ["Port of Kessling"], ""),
    ("Lorenfield", "place", [], ""),
    ("Ferrybridge Rovers", "organisation", ["Ferrybridge"], ""),
    ("Highcroft Observatory", "organisation", [], ""),
    ("Hollis & Daughters", "organisation", [], "The Eastmoor bakery its workers bought."),
    ("Margaret Hollis", "person", [], ""),
    ("Kofi Mensah", "person", [], ""),
    ("Dana Whitlock", "person", ["Mayor Whitlock"], "Mayor of Port Adley."),
    ("Coastal erosion", "subject", ["erosion", "crumbling cliffs"], ""),
    ("Wind power", "subject", ["wind farm", "offshore wind"], ""),
    ("Elections", "subject", ["ballots", "ballot", "counting machines", "election board"], ""),
    ("Public transport", "subject", ["bus fares", "bus fare"], ""),
    ("Housing", "subject", ["homes", "apartments"], ""),
    ("Astronomy", "subject", ["comets", "comet", "telescope"], ""),
    ("Marathon running", "subject", ["marathon"], ""),
    ("Storms and floods", "subject", ["storm warnings", "flood", "floods", "flooding"], ""),
    ("Ports and shipping", "subject", ["cranes", "container port"], ""),
]


def load_topics() -> int:
    """Create the demo topics that are missing; returns how many were made."""
    from dateline.topics.models import Topic

    made = 0
    for name, kind, aliases, description in TOPICS:
        _, created = Topic.objects.get_or_create(
            name=name, defaults={"kind": kind, "aliases": "\n".join(aliases), "description": description}
        )
        made += created
    return made
