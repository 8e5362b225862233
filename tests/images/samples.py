"""The rendered image set: screenshots that show a registered name, and images that show none.

Fictional case: a pupil (the complainant) and a teenage witness. Every positive sample lists the
registered names it shows; recall is counted over those samples, precision over all flagged samples.
"""

from __future__ import annotations

from tests.images import render as r

PARTIES = [
    ("the complainant", "Sexual Offences (Amendment) Act 1992 s.1", ["Tilly Brackenbury"], []),
    ("the witness", "YJCEA 1999 s.45", ["Oskar Lindqvist"], []),
]


def positive_samples() -> list[r.Sample]:
    """Images that show a registered name: fonts, sizes, themes, layouts, rotation, contrast, JPEG q40."""
    out = []
    card = r.text_card(["Everyone on the estate knows it was Tilly Brackenbury,",
                        "she's in year 9 at the academy."], face="DejaVuSans", size=26)
    out.append(r.Sample("light-dejavu-26", r.png(card), ("Tilly Brackenbury",)))
    out.append(r.Sample("dark-default-28", r.png(r.text_card(
        ["Oskar Lindqvist was the lad who gave evidence", "against him, my cousin was there"],
        theme=r.DARK, face="default", size=28)), ("Oskar Lindqvist",)))
    out.append(r.Sample("light-condensed-18", r.png(r.text_card(
        ["Statement from the family of Oskar Lindqvist, read outside court today"],
        face="DejaVuSansCondensed", size=18, width=760)), ("Oskar Lindqvist",)))
    out.append(r.Sample("dark-bold-34", r.png(r.text_card(
        ["JUSTICE FOR TILLY BRACKENBURY"], theme=r.DARK, face="DejaVuSans-Bold", size=34, width=820)),
        ("Tilly Brackenbury",)))
    out.append(r.Sample("phone-post", r.png(r.phone_screenshot(
        "Dawn Hughes", "Praying for Tilly Brackenbury and her mum tonight, what that family has been through",
        [("Karen Price", "so sad, sending love"), ("Lee Marsh", "thinking of you all")])), ("Tilly Brackenbury",)))
    out.append(r.Sample("phone-comment-dark", r.png(r.phone_screenshot(
        "Hartley Parents Group", "Does anyone know which kids are giving evidence at the trial next week?",
        [("Karen Price", "no idea"), ("Lee Marsh", "my son says Oskar Lindqvist is one of them")],
        theme=r.DARK)), ("Oskar Lindqvist",)))
    banner = r.text_card(["Tilly Brackenbury is the girl in the case"], face="DejaVuSans", size=30, width=760)
    out.append(r.Sample("rotated-4deg", r.png(r.rotated(banner, 4, r.LIGHT["bg"])), ("Tilly Brackenbury",)))
    grey = {"bg": (196, 196, 196), "fg": (140, 140, 140), "muted": (150, 150, 150), "card": (190, 190, 190)}
    out.append(r.Sample("low-contrast-grey", r.png(r.text_card(
        ["comment hidden by admin: it's Oskar Lindqvist"], theme=grey, face="DejaVuSans", size=26)),
        ("Oskar Lindqvist",)))
    shot = r.text_card(["Local mum: Tilly Brackenbury told police in March", "Posted in Hartley Chat"],
                       face="default", size=26)
    out.append(r.Sample("jpeg-q40", r.jpeg(shot, quality=40), ("Tilly Brackenbury",), "image/jpeg"))
    out.append(r.Sample("small-default-18", r.png(r.text_card(
        ["reply from Oskar Lindqvist's sister: leave him alone"], face="default", size=18, width=640)),
        ("Oskar Lindqvist",)))
    return out


def negative_samples() -> list[r.Sample]:
    """Images with no protected text: memes naming other people, a court building, news text, a chat."""
    return [
        r.Sample("meme-other-names", r.png(r.meme("DAVE THOMPSON WHEN", "THE JURY SAYS NOT GUILTY"))),
        r.Sample("court-building", r.png(r.court_building())),
        r.Sample("news-dark", r.png(r.text_card(
            ["The trial at Leeds Crown Court continues on Monday.", "Judge Sarah Collins told the jury to rest."],
            theme=r.DARK, face="DejaVuSans", size=24))),
        r.Sample("phone-other-names", r.png(r.phone_screenshot(
            "Tom Bradley", "Court reporting tonight from Minshull Street, the defendant Gary Mills denies it",
            [("Karen Price", "thanks for the update Tom"), ("Lee Marsh", "Tilda Brackley said the same")]))),
    ]
