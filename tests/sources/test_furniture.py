"""Furniture removal: forum exports of every family, news pages, and rules that must not over-reach."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.sources.extract import read_source_file
from bot.sources.furniture import classify_header, clean_text, is_chrome

FIXTURES = Path(__file__).parent / "fixtures"

# fixture -> (sentences from the opening post that must survive, strings that must not)
CASES = {
    "phpbb_thread.txt": (
        ["fined £2,400 at Saltmere Magistrates' Court", "The officer admitted the offence at a hearing on 7 July."],
        ["Pathetic fine", "Posts: 918", "Joined:", "Who is online", "wrote:", "Board index", "Post by"],
    ),
    "vbulletin_thread.txt": (
        ["banned from driving for three years", "He was also ordered to carry out 200 hours of unpaid work."],
        ["what a joke", "Ashcombe born and bred", "Join Date", "Reply With Quote", "Originally Posted",
         "Last edited", "users browsing", "Riverside Talk Forums >"],
    ),
    "discourse_raw.txt": (
        ["was unlawfully killed", "Prisons and Probation Ombudsman"],
        ["named and shamed", "keep speculation", "UTC | #"],
    ),
    "discord_export.txt": (
        ["left the beach unpatrolled for two hours", "publish patrol rotas every week"],
        ["Guild:", "Channel:", "should all resign", "lives near the harbour", "Exported", "https://cdn"],
    ),
    "xenforo_thread.txt": (
        ["found not guilty of causing death by careless driving", "after a period of leave."],
        ["Unbelievable", "Thread starter", "Click to expand", "Reactions:", "Like Reply Report", "said:",
         "Last edited", "log in or register", "WhatsApp Email Link", "Well-known member"],
    ),
    "smf_thread.html": (
        ["barred from working with children", "rated inadequate by Ofsted"],
        ["Quote from", "Last Edit", "All views my own", "lovely", "Members and 2 Guests", "Reply #1", "SMF 2.1"],
    ),
    "phpbb_thread.html": (
        ["revoked the private hire licence", "checks drivers' criminal records"],
        ["About time", "Last edited by", "Attachment removed", "Read the rules", "Who is online", "Posts:"],
    ),
    "vbulletin_thread.html": (
        ["jailed for four years", "gross negligence manslaughter"],
        ["Four years is not enough", "news feed", "Reply With Quote", "Join Date", "browsing this thread"],
    ),
    "discourse_topic.html": (
        ["accepted a police caution", "independent safety review"],
        ["ridiculous", "4 Likes", "Suggested Topics", "Powered by Discourse", "fen_reporter"],
    ),
    "discord_export.html": (
        ["Health and Safety Executive has prosecuted", "fined £180,000"],
        ["cliff road", "pierfan", "Exported 3", "03/09/2025"],
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_forum_exports_keep_the_opening_post_only(name: str) -> None:
    extracted, _ = read_source_file(FIXTURES / name)
    keep, drop = CASES[name]
    for text in keep:
        assert text in extracted.text, f"{name}: lost {text!r}"
    for text in drop:
        assert text.lower() not in extracted.text.lower(), f"{name}: kept {text!r}"
    assert extracted.kind == "forum"


def test_smf_text_export_strips_quote_header_signature_and_replies() -> None:
    path = Path(__file__).parents[1] / "summary" / "cases" / "smf_thread" / "thread.txt"
    extracted, _ = read_source_file(path)
    assert "jailed for two years at Kesworth Crown Court" in extracted.text
    assert "changed its night staffing" in extracted.text
    for bad in ("Quote from", "Last Edit", "Logged", "news desk", "Two years is a joke", "Sedge Lane",
                "Members and 3 Guests", "Karma", "Report to moderator", "Share on Facebook"):
        assert bad not in extracted.text
    assert "cut forum replies" in extracted.notes


def test_comments_heading_cuts_reader_comments_after_an_article() -> None:
    text = (
        "Council fined over bin lorry crash\n\n"
        "The council was fined £90,000 after a bin lorry crashed into a bus shelter in March. "
        "The Health and Safety Executive said the brakes had not been checked for a year.\n\n"
        "The council said it had changed its maintenance contract.\n\n"
        "Comments (2)\n\nThis is what happens when you cut budgets, the whole cabinet must go.\n"
        "Typical, nobody will lose their job over it.\n"
    )
    cleaned = clean_text(text)
    assert "maintenance contract" in cleaned.text
    assert "cabinet must go" not in cleaned.text and "Comments" not in cleaned.text
    assert cleaned.title == "Council fined over bin lorry crash"
    assert "cut reader comments" in cleaned.notes


def test_a_comments_link_in_the_header_does_not_cut_the_article() -> None:
    text = (
        "Comments (12)\n\nShare on Facebook\n\n"
        "A man has been charged with arson after a fire at a recycling centre in Holbeck on Sunday night. "
        "Police said nobody was hurt.\n"
    )
    cleaned = clean_text(text)
    assert "charged with arson" in cleaned.text
    assert "Share on Facebook" not in cleaned.text


@pytest.mark.parametrize(
    "line",
    [
        "0 Members and 1 Guest are viewing this topic.",
        "Users browsing this topic: 0 Members and 3 Guests",
        "« Reply #3 on: March 03, 2025, 09:14:22 AM »",
        "Quote from: fenlass on April 14, 2025, 08:15:02 AM",
        "« Last Edit: April 14, 2025, 08:03:51 AM by someone »",
        "Logged",
        "Share on Facebook",
        "Posted by jay_k on 3 March 2025 at 9:14am",
        "Re: Care worker jailed over neglect",
        "Attachment removed by moderator",
        "This post has been edited by a moderator to remove personal details.",
        "Previous article - Next article",
        "We use cookies to give you the best experience on our website.",
        "Accept cookies",
        "Report Post",
        "Reply With Quote",
        "Joined: Sat Mar 02, 2019 9:41 am",
        "Posts: 4,112",
        "Likes: 230",
        "By Ruth Okafor, Crime Correspondent",
        "Published: 4 September 2025",
        "Last edited by tanner_lane; 03-11-2025 at 10:35 AM.",
        "Home › News › Crime",
        "03-11-2025, 10:31 AM #2",
        "[11/05/2025 19:10] saltyseadog",
        "lurker42 | 2025-05-20 09:02:47 UTC | #2",
        "Edit: fixed a typo in the coroner's name.",
        "Comments (3)",
        "Users browsing this thread: 2 guests",
    ],
)
def test_furniture_lines_are_recognised(line: str) -> None:
    assert is_chrome(line)


@pytest.mark.parametrize(
    "line",
    [
        "Updated guidance was published by the council in May after the inquest.",
        "By the end of the hearing the panel had found the allegations proved.",
        "The officer posted the messages on a social media app in January 2024.",
        "The court heard that the resident was found on the floor.",
        "Share prices fell after the regulator fined the company.",
    ],
)
def test_reporting_is_not_mistaken_for_furniture(line: str) -> None:
    assert not is_chrome(line)


def test_reply_headers_are_told_from_opening_headers() -> None:
    assert classify_header("« on: March 02, 2025, 08:15:10 PM »").kind == "smf_open"  # type: ignore[union-attr]
    assert classify_header("Re: Council worker fined").kind == "reply"  # type: ignore[union-attr]
    numbered = classify_header("#2")
    assert numbered is not None and numbered.number == 2
    assert classify_header("The panel met on March 3, 2025") is None


def test_signature_is_dropped_to_the_end_of_the_post() -> None:
    text = (
        "The inquest into the death of a cyclist on the ring road has been adjourned until June "
        "so that the coroner can hear from the highways authority.\n"
        "--\nRing Road Action Group. Slow down, save lives.\n"
    )
    cleaned = clean_text(text)
    assert "adjourned until June" in cleaned.text
    assert "Slow down" not in cleaned.text


def test_hard_wrapped_lines_are_joined_but_titles_are_not() -> None:
    text = (
        "Driving instructor banned after crash\n"
        "A driving instructor has been banned from driving for three years after a\n"
        "crash in Ashcombe that left his learner with a broken pelvis.\n"
    )
    cleaned = clean_text(text)
    assert "after a crash in Ashcombe" in cleaned.text
    assert not cleaned.text.startswith("Driving instructor banned after crash A")


def test_comments_without_a_heading_are_cut_at_the_first_commenter() -> None:
    text = (
        "Ferry operator fined after passenger fell overboard\n\n"
        "The ferry operator was fined £400,000 at Southport Crown Court after a passenger fell overboard from an "
        "unguarded deck in 2022. The Maritime and Coastguard Agency said a safety rail had been removed for "
        "repairs and not replaced.\n\nThe passenger spent a week in hospital.\n\n"
        "Mandy_R\n3 hours ago\nShocking that it took three years to get to court.\nReply\n"
        "Tom Parsons\n2 hours ago\nMy brother works on those ferries.\nReply\n"
    )
    cleaned = clean_text(text)
    assert "spent a week in hospital" in cleaned.text
    assert "Shocking" not in cleaned.text and "Mandy_R" not in cleaned.text and "brother" not in cleaned.text


def test_discourse_and_discord_client_copies() -> None:
    discourse = (
        "fen_reporter\nJul 21\nA scout leader has accepted a police caution after three children were burned "
        "when a camp stove was refilled while still lit.\n\n4 Likes\nfenmum\nJul 21\n"
        "A caution is ridiculous, my kids were on that camp.\n"
    )
    cleaned = clean_text(discourse)
    assert cleaned.text.startswith("A scout leader has accepted a police caution")
    assert "ridiculous" not in cleaned.text and "fenmum" not in cleaned.text and "Likes" not in cleaned.text
    discord = (
        "casedesk — 11/05/2025 19:02\nThe Harwick Bay inquiry has found that the lifeguard service left the "
        "beach unpatrolled for two hours.\ncasedesk — 11/05/2025 19:03\nThe inquiry chair recommended that the "
        "council take the service back in house.\nsaltyseadog — Today at 19:10\nthe council should all resign\n"
    )
    cleaned = clean_text(discord)
    assert "back in house" in cleaned.text and "resign" not in cleaned.text and "casedesk" not in cleaned.text


def test_chat_log_keeps_the_opening_authors_run() -> None:
    text = (
        "[19:02] casedesk: The tribunal has ruled that the nurse was unfairly dismissed after raising concerns.\n"
        "[19:03] casedesk: The hospital trust was ordered to pay her compensation.\n"
        "[19:05] wardwatcher: she lives two doors from me\n"
        "[19:06] casedesk: Please keep personal details out of this channel.\n"
    )
    cleaned = clean_text(text)
    assert cleaned.text.startswith("The tribunal has ruled") and "ordered to pay her compensation" in cleaned.text
    assert "two doors" not in cleaned.text and "Please keep" not in cleaned.text and "casedesk" not in cleaned.text
    # a few "Label: text" lines in an article are not a chat log
    article = "Update: The panel will sit again in May.\nThe panel found the officer had lied in his report."
    assert "Update: The panel will sit again in May." in clean_text(article).text


@pytest.mark.parametrize("line", [
    "7 October 2025, 18:30 BST · Updated 8 October 2025",
    "Saturday 19 July 2025 6:00am · 12 min read",
    "👍 (5)",
    "The review was published on Tuesday. Photo: Calderbrook Post",
    "Picture: the hearing was held at police headquarters (Advertiser)",
    "Sign up for the week's biggest court stories from across the county, delivered every Friday.",
    "By signing up you agree to our privacy notice.",
    "Follow the Evening Star on Facebook and X for the latest news.",
    "Anyone affected by the issues in this story can contact the helpline on 0808 800 5000.",
    "Want the top crime stories in your inbox? Sign up to our newsletter",
    "You have selected 0 posts.",
    "R",
    "Link to comment",
    "More sharing options...",
    "Edited March 3, 2025 by kestrel",
    "92% Upvoted",
])
def test_news_and_forum_chrome_lines(line: str) -> None:
    assert is_chrome(line)


@pytest.mark.parametrize("line", [
    "He was jailed for six years at the Crown Court in March 2025.",
    "In 2023, 14 people died on the road.",
    "The photo was taken by a neighbour, the court heard.",
    "Judge Helen Marsh said the girl had been groomed.",
])
def test_reporting_lines_are_not_chrome(line: str) -> None:
    assert not is_chrome(line)


ARTICLE = (
    "A police constable has been given a final written warning after a misconduct panel found he had "
    "strip-searched a boy without an appropriate adult.\n\n"
    "The panel heard that the boy was 15 and that no drugs were found during the search at the school.\n\n"
    "The force said it had changed its guidance on searching children and apologised to the family.\n\n"
)


def test_reader_comments_under_no_heading_are_cut_from_their_author_line() -> None:
    for comments in (
        "Karen Ellis\nAbsolute disgrace, sack them both.\nLike · Reply · 3h\nDave M\nNot good enough.\n"
        "Like · Reply · 2h\n",
        "Sandpiper · 5 hours ago\nThe council knew. They always know.\n\nriver_rat · 4 hours ago\nA joke.\n",
        "Sandpiper says:\n20 August 2025 at 6:41 pm\nThe council knew. They always know.\nReply\n",
    ):
        cleaned = clean_text(ARTICLE + comments)
        assert "apologised to the family" in cleaned.text
        for bad in ("Karen", "disgrace", "Like", "Sandpiper", "council knew", "joke"):
            assert bad not in cleaned.text
        assert "cut reader comments" in cleaned.notes


def test_a_forum_post_ending_in_controls_keeps_its_last_lines() -> None:
    text = ("kestrel\nMember\nMar 3, 2025\n#1\nUpdate\nHe was sentenced today to three years in prison for the "
            "assault on the boy, the court heard this afternoon.\nLike · Reply · 3h\n")
    assert "sentenced today to three years" in clean_text(text).text


def test_a_colon_lead_in_is_not_glued_to_the_pasted_text() -> None:
    text = ("Report from the Gazette court reporter:\nA constable accused of misconduct in public office has "
            "appeared before magistrates in the town.\n")
    paras = clean_text(text).text.split("\n\n")
    assert paras[-1].startswith("A constable accused")
    # "... said:" is part of its sentence, whatever follows
    assert "\n\n" not in clean_text("Sentencing him, the judge said:\nThe trust placed in you was abused.").text


def test_chat_export_embed_and_reaction_blocks_are_dropped() -> None:
    text = ("[02-Apr-25 01:47 PM] kittiwake#0420\nThe constable appeared before magistrates and was granted "
            "unconditional bail until his trial.\n\n{Embed}\nWenlow Gazette\nhttps://gazette.example/x\n"
            "Officer in court\nA constable appeared in court today, the paper reports.\n\n{Reactions}\n👍 (5)\n")
    cleaned = clean_text(text).text
    assert "granted unconditional bail" in cleaned
    for bad in ("Wenlow Gazette", "paper reports", "👍", "Officer in court"):
        assert bad not in cleaned


@pytest.mark.parametrize("line, author", [
    ("kestrelToday at 9:14 AM", "kestrel"),
    ("ledger_line — Today at 09:14", "ledger_line"),
    ("Posted by u/tidewater_kate 5h", "u/tidewater_kate"),
    ("u/harbour_gull · 4 hr. ago", "u/harbour_gull"),
    ("Sandpiper · 5 hours ago", "sandpiper"),
    ("moorhen (Jane Moor) October 8, 2025, 8:02am 1", "moorhen"),
])
def test_chat_and_reddit_post_headers(line: str, author: str) -> None:
    h = classify_header(line)
    assert h is not None and h.author == author


@pytest.mark.parametrize("line", ["He was arrested yesterday at 9:14", "Tuesday 4 November 2025, 7:05 am"])
def test_prose_and_datelines_are_not_posters(line: str) -> None:
    h = classify_header(line)
    assert h is None or h.kind == "dated"


def test_a_boards_preamble_does_not_make_the_opening_post_a_comment() -> None:
    preamble = ("Welcome to the town forums, the friendliest place to discuss local news and events. Please read "
                "the rules before posting and be kind to each other, and remember that the volunteers who run "
                "this place give up their own time to keep it going for everyone.\n\n")
    post = ("kingfisher_77 — Today at 09:14\nA swimming coach has been jailed for six years for sexually "
            "assaulting a 12-year-old girl he was training at a club in the town.\nDean Catterall, 41, was "
            "convicted by a jury at the Crown Court in March of three counts of sexual assault of a child.\n"
            "The court heard that the offences took place between September 2022 and April 2023.\n"
            "otterbank — Today at 09:58\nSix years is nowhere near enough for that.\n")
    text = clean_text(preamble + post).text
    assert "jailed for six years" in text and "nowhere near enough" not in text
