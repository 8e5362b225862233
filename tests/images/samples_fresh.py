"""A second image set, written after the first was tuned and scored before any change (first look).

Another case, other names and a handle, other layouts (a microblog card, a messenger chat, a newspaper
clipping), a name broken across two lines, a half-size screenshot, an oblique font, colour on colour.
Its first-look figures are kept in tests/images/FIRST_LOOK.md.
"""

from __future__ import annotations

from tests.images import render as r

PARTIES = [
    ("the child", "Children and Young Persons Act 1933 s.39", ["Ffion Carradine"], []),
    ("the victim", "Sexual Offences (Amendment) Act 1992 s.1", ["Jasmine Okafor"], ["@jazzyokafor"]),
]


def positive_samples() -> list[r.Sample]:
    out = [
        r.Sample("tweet-light", r.png(r.tweet("Rhys Pemberton", "@rhysp_news",
                 "Ffion Carradine's dad is the one on trial, everyone in the village knows")), ("Ffion Carradine",)),
        r.Sample("tweet-handle-dark", r.png(r.tweet("Local Gossip", "@gossip_north",
                 "found her account @jazzyokafor lol she deleted everything", theme=r.DARK)), ("@jazzyokafor",)),
        r.Sample("chat-dark", r.png(r.chat([(False, "did you see what they said in court today"),
                                            (True, "yeah it was Jasmine Okafor, my daughter knows her"),
                                            (False, "omg")])), ("Jasmine Okafor",)),
        r.Sample("chat-light-line-break", r.png(r.chat([(False, "is it that girl Ffion"),
                                                        (False, "Carradine from year 8?"), (True, "yes")],
                                                       theme=r.LIGHT)), ("Ffion Carradine",)),
        r.Sample("clipping", r.png(r.clipping("Town rallies round family", [
            "Neighbours said Jasmine Okafor, 14, had been", "a popular pupil before the trial began."])),
            ("Jasmine Okafor",)),
        r.Sample("half-size", r.png(r.scaled(r.text_card(["Ffion Carradine was the name on the post"],
                                                         face="DejaVuSans", size=28), 0.5)), ("Ffion Carradine",)),
        r.Sample("oblique-lowercase", r.png(r.text_card(["pretty sure its jasmine okafor tbh"],
                                                        face="DejaVuSans-Oblique", size=26)), ("Jasmine Okafor",)),
        r.Sample("red-on-yellow", r.png(r.text_card(["FREE FFION CARRADINE'S DAD"], face="DejaVuSans-Bold", size=36,
                 theme={"bg": (250, 215, 60), "fg": (200, 20, 20), "muted": (0, 0, 0), "card": (0, 0, 0)})),
                 ("Ffion Carradine",)),
        r.Sample("chat-jpeg-q30", r.jpeg(r.chat([(True, "Jasmine Okafor is her name apparently")]), quality=30),
                 ("Jasmine Okafor",), "image/jpeg"),
        # scored as a negative at first look, but it shows the victim's registered surname ("tell Okafor's
        # mum"), which the engine holds in text too: relabelled positive (see FIRST_LOOK.md)
        r.Sample("chat-surname", r.png(r.chat([(False, "Jasmine Price is doing the school run tomorrow"),
                                               (True, "thanks hun, tell Okafor's mum we said hi")])),
                 ("Okafor",)),
        r.Sample("rotated-minus-3", r.png(r.rotated(r.text_card(["ask Ffion Carradine, she was there"],
                 face="DejaVuSansCondensed", size=28), -3, r.LIGHT["bg"])), ("Ffion Carradine",)),
    ]
    return out


def negative_samples() -> list[r.Sample]:
    return [
        r.Sample("tweet-other-ffion", r.png(r.tweet("County Netball", "@countynetball",
                 "Ffion Jones scored twice as the under-16s won the cup final on Saturday"))),
        r.Sample("court-list", r.png(r.text_card(["Court 3   10:00   R v Pemberton   Trial (day 2)",
                                                  "Court 4   10:30   R v Hughes   Sentence"],
                                                 face="DejaVuSans", size=24, theme=r.DARK))),
        r.Sample("meme-jury", r.png(r.meme("ONE DOES NOT SIMPLY", "READ THE JURY NOTES"))),
        r.Sample("chat-other-names", r.png(r.chat([(False, "Jasmine Price is doing the school run tomorrow"),
                                                   (True, "thanks hun, tell Tunde's mum we said hi")]))),
    ]
