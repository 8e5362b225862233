"""Strip page furniture from article and forum text: chrome lines, post headers, signatures, comments.

Works on plain text (a saved page, a forum export, or text already extracted from HTML) with three
generalisable passes:

1. *Where the reporting ends.* A "comments begin here" line ("Comments (3)", "Leave a reply", "Join the
   conversation") or trailing navigation ("Previous article", "Related stories") cuts the rest, once
   enough prose precedes it; so does an unheaded comment section, found by its first "name · 3 hours ago"
   line or by a "Like · Reply · 3h" footer (cut from that comment's author line). In a forum export (SMF,
   phpBB, vBulletin, XenForo, Invision, Discourse, Reddit, Discord exports and client copies) the first
   *reply* header ("Re: ...", "Reply #1", "#2", "u/x · 4h", a post by a different author) cuts the rest:
   replies are the forum's reader comments.
2. *Signatures.* A line of ``--`` or a run of underscores starts a signature, dropped to the end of post.
3. *Chrome lines.* Each remaining line is classified; navigation, counters, bylines, datelines, post
   headers, quote headers, edit and attachment notices, share and vote buttons, cookie banners, captions
   ending in a credit, newsletter and helpline boxes, lines without a letter (reaction counts) and profile
   fields are dropped, and a chat export's embed block goes whole. Furniture embedded at the start or end
   of a line ("« Reply #3 on: ... »") is trimmed off. A lead-in ending in ":" stays its own paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.sources.comments import comments_start

_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DAY = r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?"
_TIME = r"\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?"
# a date in any of the usual forum/news shapes, optionally with a time
_DATE = (
    rf"(?:{_DAY},?\s+)?(?:"
    rf"\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{2,4}}"  # 3 March 2025
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{2,4}}"  # March 3, 2025
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?"  # Mar 3
    rf"|{_MONTH}\s+'\d{{2}}"  # Mar '25
    r"|\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}"  # 03-03-2025, 2025-03-03
    rf"|\d{{1,2}}-{_MONTH}-\d{{2,4}}"  # 02-Mar-25
    r"|today|yesterday"
    rf")(?:,?\s*(?:at\s+)?{_TIME})?"
)
_RELATIVE = (
    r"\d+\s*(?:s|sec|secs|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|weeks?|mo|months?|y|years?)"
    r"\.?(?:\s+ago)?"
)

_FLAGS = re.I


def _rx(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), _FLAGS)


# ---------------------------------------------------------------------------------------------------
# 1. where the reporting ends
COMMENTS_START = _rx(
    r"^(?:\d+\s+)?(?:readers?'?\s+)?comments?\s*(?:\(\d+\)|\[\d+\]|:\s*\d+)?\s*:?$",
    r"^comments?\s*\(\d+\)",
    r"^\d+\s+(?:comments?|responses?|replies|reactions)\b.*$",
    r"^(?:show|view|load|read|see|hide)\s+(?:all\s+)?(?:\d+\s+)?(?:comments?|replies)\b",
    r"^(?:leave|post|add|write|submit)\s+(?:a|your)\s+(?:comment|reply|response)\b",
    r"^join\s+the\s+(?:conversation|discussion|debate)\b",
    r"^have\s+your\s+say\b",
    r"^what\s+do\s+you\s+think\??$",
    r"^(?:comments?|commenting)\s+(?:are|is|has\s+been)\s+(?:now\s+)?(?:closed|disabled|open)\b",
    r"^(?:sort|order)(?:\s+comments)?\s+by\b",
    r"^(?:log|sign)\s*in\s+to\s+(?:comment|reply|post|join)\b",
    r"^\d+\s+thoughts?\s+on\b",
    r"^(?:discussion|responses|conversation|reader\s+reactions?)\s*(?:\(\d+\))?$",
    r"^most\s+(?:popular|recent|liked|recommended)\s+comments\b",
    r"^comment\s+(?:policy|guidelines)\b",
)
TAIL_START = _rx(
    r"^(?:«\s*)?previous\s+(?:article|story|post|page)\b",
    r"^next\s+(?:article|story|post)\b",
    r"^related\s+(?:articles?|stories|posts|news|topics|content|coverage|links)\b",
    r"^(?:more|most)\s+(?:read|popular|viewed|from|on\s+this|stories|news)\b",
    r"^you\s+(?:may|might)\s+(?:also\s+)?(?:like|be\s+interested|have\s+missed)\b",
    r"^recommended(?:\s+(?:for\s+you|stories|articles|reading))?:?$",
    r"^related:?$",
    r"^notes?\s+(?:to|for)\s+editors?\b",
    r"^(?:suggested|similar)\s+(?:topics|threads|articles)\b",
    r"^(?:around|elsewhere)\s+the\s+web\b",
    r"^(?:top|trending)\s+(?:stories|now)\b",
    # the writer's own commentary after the report: a lone "Analysis", "Commentary", "Our view" heading
    r"^(?:analysis|commentary|our\s+view|my\s+view|my\s+take|opinion|discussion)\s*:?$",
    # a press release's end: "ENDS", "-ends-", "###", "About the trust", "Contact the reporter: ..."
    r"^[-–—\s]*ends[-–—\s]*$", r"^#{3}$",
    r"^about\s+(?:the\s+|us$)(?:[\w&'’.-]+\s*){0,6}$",
    r"^(?:contact|email|follow)\s+the\s+(?:reporter|author|writer|journalist)\b",
    r"^(?:for\s+)?(?:media|press)\s+(?:enquiries|inquiries|contacts?)\b",
)

# post headers; a match is a boundary between posts. ``reply`` groups mark a header that can only be a reply.
_HEADER_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("reply", re.compile(r"^re:\s*\S", _FLAGS)),  # "Re: thread title"
    ("reply", re.compile(r"^«?\s*reply\s*#\s*\d+\b.*$", _FLAGS)),  # SMF "« Reply #3 on: ... »"
    ("reply", re.compile(r"^(?:reply|response|post|comment)\s*#?\s*(?:[2-9]|1\d)\d*\s*$", _FLAGS)),
    ("smf_open", re.compile(r"^«\s*on:\s.*»?$", _FLAGS)),  # SMF opening post "« on: March 02, 2025 »"
    ("numbered", re.compile(rf"^(?:{_DATE}\s*)?(?:post\s*)?#\s*(\d+)\s*$", _FLAGS)),  # vBulletin/XenForo "#2"
    ("author", re.compile(r"^(?:post\s+)?by\s+(\S[^»]{0,60}?)\s*»\s*.+$", _FLAGS)),  # phpBB "Post by x » date"
    ("author", re.compile(rf"^posted\s+by\s+(\S.{{0,60}}?)\s+(?:on|at|-|»|\|)\s+.*(?:{_DATE}|{_RELATIVE}).*$",
                          _FLAGS)),
    ("dated", re.compile(rf"^posted:?\s+(?:on\s+)?{_DATE}.*$", _FLAGS)),  # phpBB2 "Posted: Mon Mar 03, 2025"
    ("discourse", re.compile(r"^(\S+)\s*\|\s*\d{4}-\d{2}-\d{2}[^|]*\|\s*#(\d+)\s*$", _FLAGS)),
    # Discourse's crawler view as text: "moorhen (Jane Moor) October 8, 2025, 8:02am 1"
    ("discourse", re.compile(rf"^(\S{{1,40}})(?:\s+\([^)]{{1,40}}\))?\s+{_DATE}\s+#?(\d{{1,4}})\s*$", _FLAGS)),
    ("author", re.compile(rf"^\[\s*{_DATE}\s*\]\s+(\S.{{0,60}})$", _FLAGS)),  # Discord "[02-Mar-25 8:15 PM] x"
    # Discord's client copied as text: "alice — Today at 14:03", or glued "aliceToday at 2:03 PM"
    ("author", re.compile(rf"^(\S{{1,40}}?)\s*(?:[—–-]\s*)?(?:today|yesterday)\s+at\s+{_TIME}$", _FLAGS)),
    # WordPress comments: "Tern_Lady says:"
    ("author", re.compile(r"^(\S.{0,40}?)\s+says:\s*$", _FLAGS)),
    # Reddit: "Posted by u/alice 5h", "u/bob · 4 hr. ago"
    ("author", re.compile(rf"^(?:posted\s+by\s+)?(u/[\w-]{{2,30}})\b.{{0,20}}?(?:{_RELATIVE}|{_DATE})\s*$", _FLAGS)),
    ("author", re.compile(rf"^(\S.{{0,40}}?)\s+[—–-]\s+(?:{_DATE}|{_TIME})$", _FLAGS)),  # "alice — Today at 14:03"
    ("author", re.compile(rf"^(\S{{1,40}})\s+(?:{_DATE}|{_RELATIVE})\s*$", _FLAGS)),  # "alice Mar 3" (Discourse)
    ("author", re.compile(rf"^(\S.{{0,40}}?)\s*[·•|]\s*(?:{_DATE}|{_RELATIVE})\s*$", _FLAGS)),  # "bob · 3 hours ago"
    ("dated", re.compile(rf"^(?:{_DATE}|{_RELATIVE})\s*$", _FLAGS)),  # a bare date/time line
]
_NOT_AUTHORS = {"posted", "published", "updated", "modified", "edited", "on", "date", "dated", "last", "created"}

# ---------------------------------------------------------------------------------------------------
# 3. chrome lines (whole-line classifiers)
CHROME = _rx(
    # forum navigation and counters
    r"^(?:\d+\s+)?(?:members?|users?|guests?)\s+(?:and\s+\d+\s+guests?\s+)?(?:are\s+)?(?:browsing|viewing)\b.*",
    r"^users?\s+(?:browsing|viewing)\s+this\s+(?:topic|thread|forum)\b.*",
    r"^who\s+is\s+(?:online|viewing)\b.*",
    r"^(?:currently\s+)?active\s+users\s+viewing\b.*",
    r"^\d+\s+(?:members?|guests?|users?|views?|replies|posts?|likes?|links?|participants?)(?:\s*[,|·]\s*\d+\s+\w+)*\.?$",
    r"^(?:pages?|go\s+to\s+page)\s*:?\s*(?:\[?\d+\]?\s*,?\s*)+.*$",
    r"^page\s+\d+\s+of\s+\d+\b.*",
    r"^(?:«\s*)?(?:previous|prev|next)\s+(?:topic|thread)\b.*",
    r"^(?:go\s+(?:up|down)|back\s+to\s+top|top|jump\s+to|print(?:\s+view)?|search\s+this\s+(?:topic|thread)|"
    r"post\s+reply|new\s+topic|quick\s+reply|reply(?:\s+with\s+quote)?|multi-?quote|quote|report(?:\s+post)?|"
    r"like|likes?|share|permalink|logged|ip\s+logged|notify|mark\s+unread|send\s+this\s+topic|edit|delete|"
    r"thanks?|solution|bookmark|follow|unfollow|watch|subscribe|reply\s+quote|like\s+quote\s+reply)"
    r"(?:\s*[|·•/]\s*\w+(?:\s\w+)?)*\s*$",
    r"^(?:home|forum|forums|index|board\s+index)\s*(?:[»›>|/]\s*.+)+$",
    # a row of post controls: "Like Reply Report", "Reply Share Report Save Follow"
    r"^(?:(?:like|unlike|reply|quote|report|share|save|follow|edit|delete|permalink|award|bookmark|"
    r"multi-?quote|thanks|react|more|flag|link)\b[\s|·•/]*){2,}$",
    r"^thread\s+starter\b.*$",
    r"^(?:start|started)\s+date\b.*$",
    r"^click\s+to\s+(?:expand|shrink)\.*$",
    r"^(?:reactions?|likes?)\s*:.*$",
    r"^(?:watched|unwatch|watch\s+thread|ignored\s+content)$",
    r"^(?:level\s+\d+|\d+\s+points?(?:\s*·.*)?|continue\s+this\s+thread.*|more\s+replies.*)$",
    r"^(?:forums?|local\s+news|news|crime(?:\s*&\s*|\s+and\s+)courts?|discussion|general)$",
    r"^(?:facebook|x\s+\(twitter\)|twitter|reddit|whatsapp|email|link|pinterest|tumblr|telegram)"
    r"(?:\s+(?:facebook|x\s+\(twitter\)|twitter|reddit|whatsapp|email|link|pinterest|tumblr|telegram))+$",
    r"^.{1,60}\s[»›‹>]\s.{1,60}(?:\s[»›‹>]\s.*)?$",  # breadcrumbs
    r"^(?:thread|topic)\s*:\s.{1,150}$",
    r"^(?:results|showing|posts?)\s+\d+\s+to\s+\d+\s+of\s+\d+.*$",
    r"^\d+\s+posts?\s*[•·|,]\s*page\s+\d+.*$",
    r"^(?:search\s+(?:this\s+)?(?:topic|thread|forum)|thread\s+tools|display(?:\s+modes?)?|"
    r"rate\s+this\s+thread|return\s+to\b.*|jump\s+to\b.*)\W*$",
    r"^(?:https?://|www\.)\S+$",  # a bare link (attachment, embed)
    r"^\(?\d+\s+(?:members?|users?)\s+and\s+\d+\s+guests?\)?\.?$",
    r"^there\s+(?:are|is)\s+currently\s+\d+\s+users?\s+browsing\b.*$",
    r"^(?:author|topic)\s*:?\s*topic\s*:.*$",
    r"^(?:home\s+)?(?:help\s+)?search\s+(?:login|log\s+in)\s+register$",
    r"^display\s+posts\s+from\s+previous\b.*",
    r"^(?:this\s+topic\s+(?:was|has\s+been)\s+(?:automatically\s+)?(?:closed|locked|pinned)|closed\s+on)\b.*",
    r"^(?:you\s+(?:do\s+not|don't|cannot|can't)\s+have\s+permission|you\s+must\s+(?:be\s+)?(?:log|sign))\b.*",
    r"^(?:powered\s+by|forum\s+software|©|copyright|all\s+rights\s+reserved)\b.*",
    # Discourse's selection bar and topic map, WordPress's like and share widgets
    r"^you\s+have\s+selected\s+\d+\s+posts?\.?$",
    r"^(?:select\s+all|cancel\s+selecting|select\s+\+\s+below|invalid\s+date|skip\s+to\s+main\s+content|"
    r"log\s*in|sign\s*up|create\s+account)(?:\s+(?:select\s+all|cancel\s+selecting|log\s*in|sign\s*up))*$",
    r"^(?:created|last\s+reply|replies|views|users|likes|links|frequent\s+posters|popular\s+links)$",
    r"^(?:like\s+this|share\s+this|like\s+loading|loading)\W*$",
    r"^\S$",  # an avatar's initial
    # Reddit's post and comment controls
    r"^(?:save|hide|crosspost|give\s+award|award|share|report|follow|op|\d+%\s+upvoted|upvote|downvote|vote)$",
    r"^search\s+(?:reddit|this\s+site|the\s+site|[\w.-]+\.(?:com|org|net|co\.uk|example))$",
    r"^level\s+\d+$",
    # Invision Community
    r"^(?:link\s+to\s+(?:comment|post)|share\s+on\s+other\s+sites|more\s+sharing\s+options\W*|reply\s+to\s+this\s+"
    r"topic|start\s+new\s+topic|recommended\s+posts|followers\s+\d+|members|posted\s+.{0,40}\(edited\))$",
    r"^edited\s+.{0,40}\bby\s+\S+$",
    r"^by\s+\S+,\s+.{0,40}\bin\s+.{1,40}$",
    # post headers, profile fields, quote headers, edit notices
    r"^(?:quote\s+from|quoting|(?:quote\s+)?originally\s+posted\s+by)\b.*$",
    r"^view\s+post$",
    r"^the\s+following\s+(?:\d+\s+)?users?\s+says?\s+thank\s+you\b.*$",
    r"^(?:likes?|thanks|reactions?)\s*\(\d+\)$",
    r"^quote:?$",
    r"^\S.{0,60}\s(?:wrote|said|posted):\s*$",
    r"^«?\s*last\s+edit:?.*$",
    r"^(?:last\s+)?edited\s+by\b.*$",
    r"^this\s+(?:post|message|comment)\s+(?:has\s+been|was)\s+(?:edited|modified|deleted|removed)\b.*$",
    r"^\(edited\)$",
    r"^(?:edit|edited|ps|p\.s\.)\s*\d*\s*:\s*(?:fixed|typo|added|removed|corrected|spelling|formatting|"
    r"link|tidied|sorry)\b.*$",
    r"^reason\s+for\s+edit:.*$",
    r"^(?:joined|join\s+date|registered|member\s+since|posts|messages|likes(?:\s+received)?|reactions?"
    r"(?:\s+score)?|reputation|rep(?:\s+power)?|karma|points|trophy\s+points|location|gender|age|"
    r"thanks(?:\s+given|\s+received)?|thanked|status|rank|ip|age)\s*:.*$",
    r"^thanked\s+\d+\s+times?\b.*",
    r"^(?:online|offline|newbie|(?:jr\.?|sr\.?|junior|senior|full|hero|new|active|registered|veteran|"
    r"well-known|established)\s+member|member|administrator|admin|moderator|global\s+moderator|"
    r"super\s+moderator|staff(?:\s+member)?|banned|guest|op|original\s+poster)$",
    r"^(?:post\s+subject|subject|topic)\s*:.*$",
    r"^(?:profile|pm|email|website|www)(?:\s*[|·]\s*\w+)*$",
    # attachments and embeds
    r"^\(?(?:the\s+following\s+)?attachments?(?:\(s\))?\s+(?:was\s+|were\s+|has\s+been\s+|have\s+been\s+)?"
    r"(?:removed|deleted)\b.*",
    r"^\[?attachment\s+(?:deleted|removed)\b.*",
    r"^(?:image|file|attachment|video)\s+(?:removed|deleted|not\s+available|unavailable)\b.*",
    r"^attached\s+(?:files?|images?|thumbnails?)\s*:?.*$",
    r"^.{1,80}\.(?:jpe?g|png|gif|webp|pdf|docx?)\s*\(\s*[\d.,]+\s*[kmg]i?b\b.*$",
    r"^\{(?:attachments?|reactions?|embeds?|stickers?)\}$",
    r"^(?:exported|showing)\s+\d+\s+messages?\b.*",
    r"^(?:guild|server|channel|topic|after|before)\s*:\s*.*$",
    r"^[=~*-]{3,}$",
    r"^(?:pinned\s+a\s+message|.{1,40}\s+pinned\s+a\s+message)\b.*",
    # news chrome: bylines, share buttons, cookie banners, promos
    r"^(?-i:[Bb]y\s+[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3})(?:\s*[,|·•–-]\s*.{0,80})?$",
    r"^[^.!?|·•]{1,40}(?:\s[|·•]\s[^.!?|·•]{1,40}){2,}$",  # "Site | News | Education" menus
    r"^(?:posted|published|updated|last\s+updated|first\s+published|modified)\s*(?::.{0,80}|(?:on\s+|at\s+)?"
    + _DATE + r".{0,40})$",
    r"^\d+\s+min(?:ute)?s?\s+read$",
    r"^(?:share|tweet|pin|email|print|copy\s+link|whatsapp|facebook|twitter|x|linkedin|reddit|messenger)"
    r"(?:\s+(?:this|on|via|to|article|story|page|link|post)){0,3}(?:[\s,|·:/]+(?:share|tweet|pin|email|"
    r"print|copy\s+link|whatsapp|facebook|twitter|x|linkedin|reddit|messenger|on|this|article))*\s*:?$",
    r"^share\s+(?:this|on|via)\b.*$",
    r"^.{0,120}\b(?:we|this\s+(?:site|website))\s+uses?\s+cookies\b.*$",
    r"^.{0,80}\bcookie\s+(?:policy|settings|preferences|consent|notice)\b.{0,120}$",
    r"^(?:accept|reject|manage|allow|decline)\s+(?:all\s+)?(?:cookies|preferences|consent|settings)\b.*",
    r"^(?:advertisement|advert|sponsored(?:\s+content)?|promoted|ad)$",
    r"^(?:sign\s+up|subscribe)\b.{0,120}(?:newsletter|updates|email|inbox)\b.*",
    r"^(?:follow|like)\s+us\s+on\b.*",
    r"^follow\s+(?:the\s+)?[\w'’ -]{1,40}?\s+on\s+(?:facebook|x|twitter|instagram|tiktok|threads|bluesky|whatsapp|"
    r"google|linkedin|youtube)\b.*",
    r"^(?:get|sign\s+up\s+(?:to|for))\s+(?:the|our)\b.{0,60}\b(?:newsletters?|bulletin|briefing|alerts?)\b.*",
    r"^(?:sign\s+up|subscribe)\s+(?:to|for)\b.{0,160}\b(?:delivered|straight\s+to|direct(?:ly)?\s+to|every\s+"
    r"(?:day|week|morning|weekday|friday|monday)|daily|weekly)\b.*",
    r"^by\s+(?:signing\s+up|subscribing|clicking|continuing|entering\s+your\s+email)\b.*",
    r"^(?:if\s+you(?:'ve|\s+have)?\s+been\s+affected|if\s+you\s+(?:are|were)\s+affected|anyone\s+affected|"
    r"support\s+(?:is\s+available|and\s+advice)|do\s+you\s+have\s+a\s+story|got\s+a\s+story|"
    r"(?:contact|email|tell)\s+(?:our|the)\s+news\s*desk)\b.*",
    r"^(?:ends|-?\s*ends\s*-?|#{3}|\(?c\)\s.*|©.*)$",
    # an image caption: a line that ends with its credit ("... Photo: Calderbrook Post", "(Picture: PA)")
    r"^.{0,200}[\s(](?:photo(?:graph)?|picture|pic|image|credit|source)\s*:\s*[^.:]{1,60}\)?\.?$",
    r"^(?:read\s+more|see\s+also|also\s+read|related|more)\s*:.*$",
    r"^(?:image|photo|picture|video)\s*(?:caption|source|credit)?\s*[:,]?.{0,80}(?:getty|pa\s+media|"
    r"reuters|alamy|shutterstock|handout|supplied)\b.*$",
    r"^(?:image|photo|picture)\s+(?:caption|source|credit)\b.*$",
    r"^(?:image|photo|photograph|picture|pic|video|watch)\s*:\s.{0,200}$",
    r"^(?:want|get|love|like)\b.{0,80}\b(?:inbox|newsletters?)\b.*$",
    r"^(?:have\s+you\s+got|got|do\s+you\s+have)\s+a\s+(?:story|news\s+tip|tip-?off)\b.*$",
    r"^(?:tags?|topics?|categories|filed\s+under)\s*:.*$",
    r"^(?:click|tap)\s+(?:here|to)\b.*$",
    r"^(?:skip\s+to\s+(?:main\s+)?content|main\s+menu|menu|search|log\s*in|sign\s*in|register|"
    r"sign\s+up|home|news|sport|contact\s+us|about\s+us|privacy\s+policy|terms(?:\s+of\s+use)?)$",
)

# furniture embedded at the start or end of an otherwise useful line
INLINE = [
    re.compile(r"«\s*(?:reply\s*#\s*\d+\s+)?on:\s[^»]*»", _FLAGS),
    re.compile(r"«\s*last\s+edit:[^»]*»", _FLAGS),
    re.compile(r"^quote\s+from:\s.*?\bon\s+" + _DATE + r"\s*", _FLAGS),
    re.compile(r"^(?:originally\s+)?posted\s+by\s+\S+\s*", _FLAGS),
    re.compile(r"\s*\(edited\)\s*$", _FLAGS),
    re.compile(r"\s*(?:reply|report|quote|like|share)(?:\s*[|·•]\s*(?:reply|report|quote|like|share))+\s*$",
               _FLAGS),
]

EMBED_START = re.compile(r"^\{(?:embeds?|link\s+preview)\}$", re.I)  # DiscordChatExporter's text format
SIGNATURE = re.compile(r"^\s*(?:--|_{5,}|[–—]{2})\s*$")
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’-]*")
_TERMINAL = re.compile(r"[.!?…][\"'”’)\]]*$")
# "... said:" introduces the rest of its sentence; "Report from the Gazette:" introduces pasted text
_SPEECH = re.compile(r"\b(?:said|says|told\s+\S+|added|stated|wrote|explained|read|including|includes?|are|"
                     r"were|is|was|as\s+follows|namely|that)\s*:$", re.I)
_USERNAME = re.compile(r"^[\w.@-]{2,40}$")  # a lone handle line in a forum export
_DANGLING = re.compile(
    r"\b(?:the|a|an|of|to|and|or|but|in|on|at|for|with|by|from|that|who|which|was|were|has|had|have|is|are|"
    r"be|been|his|her|their|its|as|than|after|before|into|said|told)$"
)


@dataclass(slots=True)
class Cleaned:
    """Clean text, the title it appeared to open with, and notes on what was removed."""

    text: str
    title: str = ""
    notes: list[str] = field(default_factory=list)
    forum: bool = False


@dataclass(slots=True)
class _Header:
    kind: str
    author: str = ""
    number: int | None = None


# a comment's footer of controls and age: "Like · Reply · 3h", "Reply Report 2 hours ago", "12 likes · Reply"
_CONTROL = r"(?:like|unlike|reply|report|share|quote|flag|upvote|downvote|award|\d+\s+(?:likes?|repl(?:y|ies)))"
COMMENT_FOOTER = re.compile(
    rf"^{_CONTROL}(?:[\s·•|/]+{_CONTROL})*(?:[\s·•|/]+(?:{_RELATIVE}|{_DATE}))?\s*$", _FLAGS
)


def classify_header(line: str) -> _Header | None:
    """The post header a line is, if any (a boundary between forum posts)."""
    s = line.strip()
    if not s or len(s) > 160:
        return None
    if COMMENT_FOOTER.match(s) and re.search(r"\d", s):
        return _Header("footer")
    for kind, rx in _HEADER_PATTERNS:
        m = rx.match(s)
        if not m:
            continue
        if kind == "numbered":
            return _Header("numbered", number=int(m.group(1)))
        if kind == "discourse":
            return _Header("numbered", author=m.group(1), number=int(m.group(2)))
        if kind == "author":
            author = m.group(1).strip()
            # a sentence that merely ends in a date is not a header
            if len(_WORD.findall(author)) > 4 or author.casefold().rstrip(":") in _NOT_AUTHORS:
                continue
            if re.fullmatch(rf"(?:{_DAY}|{_MONTH}|today|yesterday),?", author, _FLAGS):
                return _Header("dated")  # "Tuesday 4 November 2025, 7:05 am" is a date, not a poster
            return _Header("author", author=author.casefold())
        return _Header(kind)
    return None


_ZONE = r"(?:bst|gmt|utc|cet|cest|est|edt|pst|pdt|ist|aest|[+-]\d{2}:?\d{2})"
_DATELINE_WORDS = re.compile(
    rf"\d+\s*min(?:ute)?s?\s+read|{_DATE}|{_TIME}|{_RELATIVE}|\b(?:{_ZONE}|updated|published|posted|first|last|modified|on|at|min(?:ute)?s?|"
    r"read|(?:19|20)\d{2})\b",
    _FLAGS,
)


def _is_dateline(s: str) -> bool:
    """A line made only of dates, times, zones and words like "updated" ("7 Oct 2025, 18:30 BST · Updated ...")."""
    if not re.search(r"\d", s) or len(s) > 120:
        return False
    return not re.search(r"[^\W\d_]", _DATELINE_WORDS.sub(" ", s))


def is_chrome(line: str) -> bool:
    """Whether a whole line is page or forum furniture."""
    s = line.strip().strip("|·•").strip()
    if not s:
        return False
    if not re.search(r"[^\W\d_]", s) and not SIGNATURE.match(s):
        return True  # no letters at all: reaction counts ("👍 (5)"), rules, stray numbers
    if CHROME.match(s) or is_comments_start(s) or is_tail_start(s) or _is_dateline(s):
        return True
    return classify_header(s) is not None


def is_comments_start(line: str) -> bool:
    s = line.strip().strip("#*=-_ ").strip()
    return bool(s) and len(s) < 100 and bool(COMMENTS_START.match(s))


def is_tail_start(line: str) -> bool:
    s = line.strip().strip("#*=-_ ").strip()
    return bool(s) and len(s) < 120 and bool(TAIL_START.match(s))


def strip_inline(line: str) -> str:
    for rx in INLINE:
        line = rx.sub(" ", line)
    return re.sub(r"[ \t]{2,}", " ", line).strip()


_AGO = re.compile(r"\bago$|^(?:just\s+now|yesterday|today)$", re.I)


def _looks_like_handle(line: str) -> bool:
    """A commenter's name line: one to three words, no sentence punctuation."""
    return bool(line) and len(line) <= 40 and len(line.split()) <= 3 and not re.search(r"[.!?,:;]", line)


def _prose_words(line: str) -> int:
    n = len(_WORD.findall(line))
    return n if n >= 5 and not is_chrome(line) else 0


def _normalise(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    text = text.replace("\u00a0", " ").replace("\u200b", "")
    lines = []
    for raw in text.split("\n"):
        line = raw.rstrip()
        stripped = line.lstrip()
        while stripped.startswith(">"):  # Markdown / e-mail quoting
            stripped = stripped[1:].lstrip()
        lines.append(stripped)
    return lines


def _post_prose(lines: list[str], header: int) -> int:
    """Prose words of the post that starts after the header line ``header`` (up to the next header)."""
    n = 0
    for line in lines[header + 1:]:
        s = line.strip()
        if s and classify_header(s) is not None:
            break
        n += _prose_words(s) if s else 0
    return n


def _comment_start(lines: list[str], footer: int) -> int:
    """The author line of the comment that ``footer`` closes (a handle above one to three short lines)."""
    body = 0
    j = footer - 1
    while j >= 0 and footer - j <= 5:
        s = lines[j].strip()
        if not s or is_chrome(s):
            if body:
                break
            j -= 1
            continue
        if body and _looks_like_handle(s):
            return j
        body += 1
        j -= 1
    return footer


def _cut_points(lines: list[str], *, keep_replies: bool) -> tuple[int, str, bool]:
    """Index where reporting ends, why, and whether the text looked like a forum export."""
    prose = 0
    headers = 0
    opening_author = ""
    previous_author = ""
    forum = False
    forum_seen = False  # a post header other than a bare date: a forum export, not an article
    last, last_i = "", 0
    for i, line in enumerate(lines):
        s = line.strip()
        if not s:
            continue
        previous_line, previous_i = last, last_i
        last, last_i = s, i
        if prose >= 40 and is_comments_start(s):
            return i, "cut reader comments", forum
        if prose >= 40 and is_tail_start(s):
            return i, "cut trailing navigation", forum
        h = classify_header(s)
        if h is not None and h.kind == "footer":
            if prose >= 40 and not keep_replies and not opening_author and not forum_seen:
                # an article's reader comments under no heading: cut where the first one's author line is
                return _comment_start(lines, i), "cut reader comments", forum
            continue
        if h is not None:
            headers += 1
            forum_seen = forum_seen or h.kind != "dated"
            reply = h.kind == "reply" or (h.number is not None and h.number >= 2)
            if h.kind == "author":
                if not opening_author and prose >= 40 and not keep_replies and _post_prose(lines, i) < prose:
                    # the article came first: a "name · 3 hours ago" line opens the reader comments (unless
                    # what follows outweighs it: then the text above was a board's preamble)
                    return i, "cut reader comments", forum
                if not opening_author:
                    opening_author = h.author
                elif h.author != opening_author or previous_author != opening_author:
                    reply = True
                previous_author = h.author
            elif h.kind == "dated" and headers >= 2 and prose >= 15:
                reply = True  # a second bare date line after a post: the next post's header
            elif h.kind == "dated" and prose >= 40 and (_AGO.search(s) or _looks_like_handle(previous_line)):
                return (previous_i if _looks_like_handle(previous_line) else i), "cut reader comments", forum
            if reply:
                forum = True
                if not keep_replies and prose >= 15:
                    return i, "cut forum replies", forum
            continue
        prose += _prose_words(s)
    return len(lines), "", forum or headers >= 2


def split_tail(text: str) -> tuple[str, str, str]:
    """(reporting, what follows it, why it was cut) for raw page text; the tail is "" when nothing was cut."""
    lines = _normalise(text)
    end, why, _ = _cut_points(lines, keep_replies=False)
    if not why:
        return text, "", ""
    return "\n".join(lines[:end]), "\n".join(lines[end:]), why


def _paragraphs(lines: list[str]) -> list[str]:
    """Join hard-wrapped lines; keep short or complete lines as their own paragraphs."""
    paras: list[str] = []
    current: list[str] = []
    for line in lines:
        if not line:
            if current:
                paras.append(" ".join(current))
                current = []
            continue
        if current:
            prev = current[-1]
            wrapped = not _TERMINAL.search(prev) and (
                line[:1].islower() or prev.endswith((",", ";", "-", "–", "(")) or bool(_DANGLING.search(prev))
                or (prev.endswith(":") and bool(_SPEECH.search(prev)))
            )
            if not wrapped:
                paras.append(" ".join(current))
                current = []
        current.append(line)
    if current:
        paras.append(" ".join(current))
    return [p for p in (re.sub(r"\s{2,}", " ", p).strip() for p in paras) if p]


_CHAT_LINE = re.compile(r"^(?:\[[^\]]{3,30}\]\s*)?<?([\w.@-]{2,30})>?:\s+(\S.*)$")


def _chat_opening(lines: list[str]) -> list[str] | None:
    """For a chat log of "author: text" lines, the opening author's first run (prefixes removed)."""
    hits = [(_CHAT_LINE.match(ln.strip()), ln) for ln in lines if ln.strip()]
    matched = [m for m, _ in hits if m]
    if len(matched) < 3 or len(matched) < 0.6 * len(hits) or len({m.group(1).casefold() for m in matched}) < 2:
        return None
    first = matched[0].group(1).casefold()
    out: list[str] = []
    for m, line in hits:
        if m and m.group(1).casefold() != first:
            if out:
                break
            continue
        out.append(m.group(2) if m else line)
        out.append("")
    return out


def clean_text(text: str, *, keep_replies: bool = False) -> Cleaned:
    """Return the reporting in ``text`` with furniture, signatures, replies and reader comments removed."""
    lines = _normalise(text)
    notes: list[str] = []
    chat = None if keep_replies else _chat_opening(lines)
    if chat is not None:
        lines = chat
        notes.append("chat log: kept the opening author's messages")
    end, why, forum = _cut_points(lines, keep_replies=keep_replies)
    if why:
        notes.append(why)
    lines = lines[:end]

    # the first short line without terminal punctuation, before any prose, reads as a title
    title = ""
    for line in lines:
        s = line.strip()
        if not s:
            continue
        if is_chrome(s) and not s.lower().startswith("re:"):
            continue
        if _prose_words(s) and not _TERMINAL.search(s):
            title = re.sub(r"^re:\s*", "", s, flags=re.I).strip(" #*")
            break
        if len(_WORD.findall(s)) >= 3:  # prose came first: no title line
            break

    kept: list[str] = []
    in_signature = False
    in_embed = False
    dropped = 0
    for line in lines:
        s = line.strip()
        if in_embed:  # a chat export's link preview repeats a page's title and blurb: up to the next blank line
            in_embed = bool(s)
            kept.append("")
            continue
        if EMBED_START.match(s):
            in_embed = True
            dropped += 1
            kept.append("")
            continue
        if in_signature:
            if classify_header(s) is not None:
                in_signature = False
            else:
                continue
        if SIGNATURE.match(line):
            in_signature = True
            notes.append("dropped signature")
            continue
        if not s:
            kept.append("")
            continue
        if is_chrome(s) or (forum and _USERNAME.match(s)):
            dropped += 1
            kept.append("")
            continue
        s = strip_inline(s)
        if not s or is_chrome(s):
            kept.append("")
            continue
        kept.append(s)
    if dropped:
        notes.append(f"dropped {dropped} furniture lines")
    paras = _paragraphs(kept)
    if not keep_replies:
        cut = comments_start(paras)
        if cut is not None:
            paras = paras[:cut]
            notes.append("cut reader comments (no heading: reactions to the post, sign-offs)")
    if title and paras and paras[0].strip(" #*") == title:
        paras = paras[1:]
    return Cleaned(text="\n\n".join(paras), title=title, notes=notes, forum=forum or chat is not None)
