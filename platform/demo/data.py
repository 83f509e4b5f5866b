"""The demo Verbandsgemeinde Betzdorf-Gebhardshain (Landkreis Altenkirchen, Rhineland-Palatinate).

The town and its 17 Ortsgemeinden with their postal codes are real. All
people, e-mail addresses (reserved ``.example`` domain), organisations'
details and news are invented for the demo. Content is German because it is
what a German town would publish; it is data, not interface text.
"""

from __future__ import annotations

from datetime import timedelta

PASSWORD = "Demo-Herbstlaub-2026"
DOMAIN = "betzdorf-gebhardshain.example"

TOWN = {
    "slug": "betzdorf-gebhardshain",
    "name": "Verbandsgemeinde Betzdorf-Gebhardshain",
    "kind": "verbandsgemeinde",
}

# (name, slug, postal codes): the Stadt Betzdorf and the 16 Ortsgemeinden of the VG since 2017.
ORTSGEMEINDEN = [
    ("Alsdorf", "alsdorf", "57518"),
    ("Betzdorf", "betzdorf", "57518"),
    ("Dickendorf", "dickendorf", "57520"),
    ("Elben", "elben", "57580"),
    ("Elkenroth", "elkenroth", "57578"),
    ("Fensdorf", "fensdorf", "57580"),
    ("Gebhardshain", "gebhardshain", "57580"),
    ("Grünebach", "gruenebach", "57520"),
    ("Kausen", "kausen", "57520"),
    ("Malberg", "malberg", "57629"),
    ("Molzhain", "molzhain", "57520"),
    ("Nauroth", "nauroth", "57583"),
    ("Rosenheim", "rosenheim", "57520"),
    ("Scheuerfeld", "scheuerfeld", "57584"),
    ("Steinebach/Sieg", "steinebach-sieg", "57520"),
    ("Steineroth", "steineroth", "57518"),
    ("Wallmenroth", "wallmenroth", "57584"),
]

# Inhabitants per Ortsgemeinde (by slug) for the adoption cockpit: rounded figures of the order the
# Statistisches Landesamt publishes; a real town enters its own.
INHABITANTS = {
    "alsdorf": 1600, "betzdorf": 10100, "dickendorf": 450, "elben": 400, "elkenroth": 1700, "fensdorf": 450,
    "gebhardshain": 1700, "gruenebach": 800, "kausen": 600, "malberg": 1000, "molzhain": 450, "nauroth": 1300,
    "rosenheim": 800, "scheuerfeld": 2300, "steinebach-sieg": 1600, "steineroth": 900, "wallmenroth": 1200,
}

PROFILE = {
    "tagline": "Digitales Dorf für Betzdorf, Gebhardshain und 15 weitere Ortsgemeinden (Demo)",
    "primary_colour": "#1f5f8b",
    "accent_colour": "#8a4b08",
    "contact_name": "Sabine Krämer",
    "contact_role": "Digitallotsin der Verbandsgemeinde (Demo-Person)",
    "contact_email": f"digital@{DOMAIN}",
    "contact_phone": "02741 000-000 (Demo)",
    "contact_hours": "und nach Vereinbarung",
    "impressum": (
        "DEMO – dies ist kein echtes Impressum.\n\n"
        "Verbandsgemeindeverwaltung Betzdorf-Gebhardshain (Demo)\n"
        "Hellerstraße 2\n57518 Betzdorf\n\n"
        "Vertreten durch: die Bürgermeisterin / den Bürgermeister (Demo)\n"
        f"E-Mail: rathaus@{DOMAIN}\n\n"
        "Diese Seite zeigt Beispieldaten der Plattform Dorfkern. Personen, Adressen und Nachrichten sind erfunden."
    ),
    "privacy_policy": (
        "DEMO – dies ist keine echte Datenschutzerklärung.\n\n"
        "Verantwortlich für die Verarbeitung ist die Verbandsgemeindeverwaltung (Demo). Wir verarbeiten die "
        "Daten, die Sie bei der Registrierung angeben (Name, E-Mail-Adresse, Ortsgemeinde), um Ihnen die "
        "Nachrichten Ihres Ortes zu zeigen. Eine Weitergabe an Dritte findet nicht statt. Sie können Ihr "
        "Konto jederzeit löschen lassen.\n\n"
        "Eine echte Gemeinde ersetzt diesen Text durch ihre eigene, geprüfte Erklärung."
    ),
    "accessibility_statement": (
        "DEMO – dies ist keine echte Erklärung zur Barrierefreiheit.\n\n"
        "Die Verbandsgemeinde (Demo) möchte diese Website für alle Menschen zugänglich machen. Die Seiten der "
        "Plattform werden bei jeder Änderung mit dem Prüfwerkzeug axe geprüft und funktionieren mit der Tastatur "
        "und auf schmalen Bildschirmen.\n\n"
        f"Barrieren melden: digital@{DOMAIN}"
    ),
}

# Office hours and Sprechstunden (weekday 0 = Monday, from, until, what, place, Ortsgemeinde slug or None).
OFFICE_HOURS = [
    (0, "08:30", "12:00", "Bürgerbüro", "Rathaus Betzdorf, Hellerstraße 2 (Demo)", None),
    (1, "08:30", "12:00", "Bürgerbüro", "Rathaus Betzdorf, Hellerstraße 2 (Demo)", None),
    (3, "14:00", "18:00", "Bürgerbüro", "Rathaus Betzdorf, Hellerstraße 2 (Demo)", None),
    (4, "08:30", "12:00", "Bürgerbüro", "Rathaus Betzdorf, Hellerstraße 2 (Demo)", None),
    (2, "16:00", "17:30", "Sprechstunde der Digitallotsin", "Rathaus Betzdorf, Zimmer 12 (Demo)", None),
    (1, "18:00", "19:00", "Sprechstunde Ortsbürgermeister", "Bürgerhaus Gebhardshain (Demo)", "gebhardshain"),
    (3, "17:00", "18:00", "Sprechstunde Ortsbürgermeisterin", "Dorfgemeinschaftshaus Elkenroth (Demo)", "elkenroth"),
]

# slug: (name, kind, Ortsgemeinde slug, description)
ORGANISATIONS = {
    "feuerwehr-betzdorf": (
        "Freiwillige Feuerwehr Betzdorf", "feuerwehr", "betzdorf",
        "Brandschutz, technische Hilfe und Jugendfeuerwehr für Betzdorf. (Demo)",
    ),
    "kirchengemeinde-gebhardshain": (
        "Katholische Kirchengemeinde Gebhardshain", "kirche", "gebhardshain",
        "Gottesdienste, Chöre und Seniorenkreis in Gebhardshain und Umgebung. (Demo)",
    ),
    "tus-gebhardshain": (
        "TuS Gebhardshain", "verein", "gebhardshain",
        "Turnen, Fußball und Gesundheitssport für alle Generationen. (Demo)",
    ),
    "grundschule-elkenroth": (
        "Grundschule Elkenroth", "schule", "elkenroth",
        "Die Grundschule für Elkenroth, Nauroth und Rosenheim. (Demo)",
    ),
    "heimatverein-steinebach": (
        "Heimatverein Steinebach/Sieg", "verein", "steinebach-sieg",
        "Dorfgeschichte, Backes und Dorffeste. (Demo)",
    ),
}

ADMIN = {"name": "Sabine Krämer", "email": f"admin@{DOMAIN}"}

# email local part: (name, role, Ortsgemeinde slug, organisation slugs the person edits for)
PEOPLE = {
    "moderation": ("Jonas Becker", "moderator", "betzdorf", ()),
    "feuerwehr": ("Markus Hering", "resident", "betzdorf", ("feuerwehr-betzdorf",)),
    "tus": ("Lena Schmidt", "resident", "gebhardshain", ("tus-gebhardshain",)),
    "gemeindeleben": (
        "Petra Wagner", "resident", "elkenroth",
        ("kirchengemeinde-gebhardshain", "grundschule-elkenroth", "heimatverein-steinebach"),
    ),
    "maria.weber": ("Maria Weber", "resident", "gebhardshain", ()),
    "thomas.mueller": ("Thomas Müller", "resident", "betzdorf", ()),
    "hannah.klein": ("Hannah Klein", "resident", "elkenroth", ()),
    "peter.schneider": ("Peter Schneider", "resident", "steinebach-sieg", ()),
    "gisela.hoffmann": ("Gisela Hoffmann", "resident", "fensdorf", ()),
    # Owners of the Branchenbuch's demo businesses (modules/directory/demo.py); approving
    # their entries makes each of them the manager of their business.
    "katrin.jung": ("Katrin Jung", "resident", "gebhardshain", ()),
    "juergen.schaefer": ("Jürgen Schäfer", "resident", "elkenroth", ()),
    "michael.koelsch": ("Michael Kölsch", "resident", "betzdorf", ()),
    "sandra.brenner": ("Sandra Brenner", "resident", "steinebach-sieg", ()),
    "ulrike.brandt": ("Dr. Ulrike Brandt", "resident", "kausen", ()),
    "frank.lohmann": ("Frank Lohmann", "resident", "scheuerfeld", ()),
}

# Residency requests still waiting for the town hall (local part → street, postal code).
RESIDENCY_PENDING = {"peter.schneider": ("Kirchstraße 4", "57567")}

STAFF = {"name": "Dorfkern Plattform-Team", "email": "staff@dorfkern.example"}


def email_of(local: str) -> str:
    return f"{local}@{DOMAIN}"


def banner_logins() -> list[tuple[str, str, str]]:
    """(who, e-mail, where to sign in) for the lines `dorfkern.py run` prints."""
    return [
        ("Town admin", ADMIN["email"], "demo town"),
        ("Moderator", email_of("moderation"), "demo town"),
        ("Editor, Freiwillige Feuerwehr Betzdorf", email_of("feuerwehr"), "demo town"),
        ("Editor, TuS Gebhardshain", email_of("tus"), "demo town"),
        ("Resident (Gebhardshain)", email_of("maria.weber"), "demo town"),
        ("Business owner, Dorfbäckerei Jung", email_of("katrin.jung"), "demo town"),
        ("Platform staff", STAFF["email"], "public site"),
    ]


# Articles: author's e-mail local part ("admin" = the town admin), organisation
# slug or None for official news, target Ortsgemeinden (empty = whole town),
# age (published that long ago; negative = scheduled for the future).
ARTICLES = [
    {
        "title": "Bürgerbüro mit neuen Öffnungszeiten",
        "teaser": "Ab dem kommenden Monat ist das Bürgerbüro donnerstags bis 18 Uhr geöffnet.",
        "body": (
            "<p>Viele Berufstätige haben uns gebeten, das Bürgerbüro auch am späten Nachmittag zu öffnen. "
            "Ab dem kommenden Monat gelten daher neue Zeiten:</p>"
            "<ul><li>Montag bis Freitag 8:30 bis 12:00 Uhr</li><li>Donnerstag zusätzlich 14:00 bis 18:00 Uhr</li></ul>"
            "<p>Termine für Personalausweis und Reisepass vereinbaren Sie bitte vorab telefonisch "
            "oder per E-Mail.</p>"
        ),
        "category": "Rathaus",
        "author": "admin",
        "organisation": None,
        "ortsgemeinden": (),
        "age": timedelta(days=1, hours=2),
    },
    {
        "title": "Öffentliche Sitzung des Verbandsgemeinderates",
        "teaser": "Auf der Tagesordnung stehen der Haushalt, die Kita-Bedarfsplanung und der Radweg im Elbbachtal.",
        "body": (
            "<p>Der Verbandsgemeinderat tagt am kommenden Dienstag um 18 Uhr im Ratssaal in Betzdorf. "
            "Die Sitzung ist öffentlich; zu Beginn gibt es eine Einwohnerfragestunde.</p>"
            "<h2>Tagesordnung (Auszug)</h2>"
            "<ol><li>Haushaltssatzung für das kommende Jahr</li><li>Kita-Bedarfsplanung</li>"
            "<li>Planung eines Radwegs im Elbbachtal</li></ol>"
        ),
        "category": "Rathaus",
        "author": "admin",
        "organisation": None,
        "ortsgemeinden": (),
        "age": timedelta(days=3),
    },
    {
        "title": "Ortsdurchfahrt Elben drei Wochen gesperrt",
        "teaser": "Wegen Kanalarbeiten ist die Ortsdurchfahrt gesperrt; die Umleitung führt über Gebhardshain.",
        "body": (
            "<p>Ab Montag erneuern die Verbandsgemeindewerke den Kanal in der Ortsmitte von Elben. Die Ortsdurchfahrt "
            "ist deshalb voraussichtlich drei Wochen voll gesperrt. Anlieger erreichen ihre Grundstücke "
            "jederzeit. Die Umleitung ist ausgeschildert und führt über Gebhardshain.</p>"
            "<p>Die Bushaltestelle „Elben Mitte“ wird für diese Zeit an den Ortseingang verlegt.</p>"
        ),
        "category": "Rathaus",
        "author": "admin",
        "organisation": None,
        "ortsgemeinden": ("elben", "gebhardshain"),
        "age": timedelta(days=2, hours=5),
    },
    {
        "title": "Glasfaserausbau in Kausen und Molzhain beginnt",
        "teaser": "Bis zum Sommer werden alle Haushalte angeschlossen, die einen Vertrag abgeschlossen haben.",
        "body": (
            "<p>In Kausen und Molzhain beginnen die Tiefbauarbeiten für das Glasfasernetz. Die Arbeiten "
            "laufen straßenweise; die Baufirma informiert Anwohner eine Woche vorher per Wurfzettel.</p>"
            "<p>Eine Infosprechstunde gibt es jeden Mittwoch von 16 bis 18 Uhr im Dorfgemeinschaftshaus Kausen.</p>"
        ),
        "category": "Rathaus",
        "author": "admin",
        "organisation": None,
        "ortsgemeinden": ("kausen", "molzhain"),
        "age": timedelta(days=5),
    },
    {
        "title": "Grünschnittplatz Betzdorf in der Winterpause",
        "teaser": "Bis Anfang März nimmt der Sammelplatz nur samstags Grünschnitt an.",
        "body": (
            "<p>Der Grünschnittsammelplatz in Betzdorf ist während der Wintermonate nur samstags von 9 bis "
            "13 Uhr geöffnet. Ab März gelten wieder die gewohnten Öffnungszeiten.</p>"
        ),
        "category": "Rathaus",
        "author": "admin",
        "organisation": None,
        "ortsgemeinden": ("betzdorf",),
        "age": timedelta(days=8),
    },
    {
        "title": "Abholung der Weihnachtsbäume",
        "teaser": "Die Jugendfeuerwehren holen abgeschmückte Bäume gegen eine Spende ab.",
        "body": (
            "<p>Legen Sie Ihren abgeschmückten Baum am Samstag bis 8 Uhr gut sichtbar an den Straßenrand. "
            "Die Jugendfeuerwehren der Verbandsgemeinde sammeln die Bäume ein; über eine Spende für die "
            "Jugendarbeit freuen sie sich.</p>"
        ),
        "category": "Rathaus",
        "author": "admin",
        "organisation": None,
        "ortsgemeinden": (),
        "age": -timedelta(days=10),  # scheduled: appears in ten days
    },
    {
        "title": "Feuerwehr Betzdorf lädt zum Schnupperabend ein",
        "teaser": "Wer wissen will, wie ein Übungsabend abläuft, ist am Freitag im Gerätehaus willkommen.",
        "body": (
            "<p>Die Freiwillige Feuerwehr Betzdorf sucht Verstärkung – für den Einsatzdienst ebenso wie für "
            "die Jugendfeuerwehr ab zehn Jahren. Am Freitag ab 19 Uhr zeigen wir im Gerätehaus unsere "
            "Fahrzeuge und Ausrüstung und beantworten alle Fragen.</p>"
            "<p>Vorkenntnisse braucht niemand. Die Ausbildung übernehmen wir.</p>"
        ),
        "category": "Feuerwehr",
        "author": "feuerwehr",
        "organisation": "feuerwehr-betzdorf",
        "ortsgemeinden": ("betzdorf",),
        "age": timedelta(days=1),
    },
    {
        "title": "Rauchmelder prüfen: fünf Minuten, die Leben retten",
        "teaser": "Einmal im Jahr den Prüfknopf drücken – und was sonst noch wichtig ist.",
        "body": (
            "<p>Rauchmelder sind in Rheinland-Pfalz in Schlaf- und Kinderzimmern sowie Fluren Pflicht. "
            "Damit sie im Ernstfall warnen, sollten Sie einmal im Jahr:</p>"
            "<ul><li>den Prüfknopf drücken,</li><li>die Raucheintrittsöffnungen von Staub befreien,</li>"
            "<li>prüfen, ob die Batterie noch lange genug hält.</li></ul>"
        ),
        "category": "Feuerwehr",
        "author": "feuerwehr",
        "organisation": "feuerwehr-betzdorf",
        "ortsgemeinden": (),
        "age": timedelta(days=12),
    },
    {
        "title": "Adventskonzert in der Pfarrkirche Gebhardshain",
        "teaser": "Kirchenchor und Bläser laden zum gemeinsamen Singen ein; der Eintritt ist frei.",
        "body": (
            "<p>Am zweiten Adventssonntag um 17 Uhr singen der Kirchenchor und das Bläserensemble "
            "adventliche Lieder zum Zuhören und Mitsingen. Im Anschluss gibt es Glühwein und Kinderpunsch "
            "vor der Kirche.</p>"
        ),
        "category": "Kirche",
        "author": "gemeindeleben",
        "organisation": "kirchengemeinde-gebhardshain",
        "ortsgemeinden": ("gebhardshain",),
        "age": timedelta(days=4),
    },
    {
        "title": "TuS Gebhardshain startet neue Kinderturngruppe",
        "teaser": "Für Kinder von drei bis sechs Jahren, dienstags in der Sporthalle.",
        "body": (
            "<p>Wegen der großen Nachfrage bietet der TuS Gebhardshain ab Februar eine zweite "
            "Kinderturngruppe an. Geturnt wird dienstags von 15:30 bis 16:30 Uhr in der Sporthalle. "
            "Zwei Schnupperstunden sind kostenlos.</p>"
        ),
        "category": "Vereine",
        "author": "tus",
        "organisation": "tus-gebhardshain",
        "ortsgemeinden": (),
        "age": timedelta(days=6),
    },
    {
        "title": "Tag der offenen Tür an der Grundschule Elkenroth",
        "teaser": "Künftige Erstklässler und ihre Eltern können Klassenräume und Lehrkräfte kennenlernen.",
        "body": (
            "<p>Am Samstag von 10 bis 13 Uhr öffnet die Grundschule ihre Türen. Die Kinder zeigen, was sie "
            "im Projekt „Unser Dorf früher und heute“ erarbeitet haben, und der Förderverein bietet "
            "Kaffee und Kuchen an.</p>"
        ),
        "category": "Schule und Kita",
        "author": "gemeindeleben",
        "organisation": "grundschule-elkenroth",
        "ortsgemeinden": ("elkenroth", "nauroth", "rosenheim"),
        "age": timedelta(days=9),
    },
    {
        "title": "Dorfputz in Steinebach: Helferinnen und Helfer gesucht",
        "teaser": "Gemeinsam machen wir Wege, Spielplatz und Backes fit für den Frühling.",
        "body": (
            "<p>Der Heimatverein ruft zum Dorfputz auf. Treffpunkt ist am Samstag um 9 Uhr am Backes. "
            "Handschuhe und Müllsäcke stellt die Ortsgemeinde; zum Abschluss gibt es frisches Brot aus "
            "dem Backes.</p>"
        ),
        "category": "Vereine",
        "author": "gemeindeleben",
        "organisation": "heimatverein-steinebach",
        "ortsgemeinden": ("steinebach-sieg",),
        "age": timedelta(days=15),
    },
]

# Places (town.places): simple rectangles around five villages, (west, south, east, north) in
# degrees, and a few streets each. Invented outlines, not the real boundaries; they hold the
# demo businesses' positions, so the map, the Ortsgemeinde of a point and typed addresses agree.
PLACES = {
    "betzdorf": ((7.850, 50.775, 7.895, 50.805),
                 ["Bahnhofstraße", "Wilhelmstraße", "Decizer Straße", "Hellerstraße", "Kölner Straße"]),
    "gebhardshain": ((7.800, 50.742, 7.822, 50.760),
                     ["Hauptstraße", "Betzdorfer Straße", "Schulstraße", "Am Sportplatz"]),
    "steinebach-sieg": ((7.822, 50.730, 7.846, 50.742),
                        ["Kirchstraße", "Hauptstraße", "Bindweider Straße"]),
    "kausen": ((7.828, 50.712, 7.852, 50.729), ["Schulstraße", "Dorfstraße", "Am Weiher"]),
    "elkenroth": ((7.862, 50.722, 7.895, 50.748),
                  ["Hauptstraße", "Birkenweg", "Nisterweg", "Zum Steinchen", "Rosenheimer Straße"]),
}
