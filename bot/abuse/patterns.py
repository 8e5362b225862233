"""What the statistical scorers miss, in both directions.

* Threats and incitement without profanity ("someone ought to smash his windows in", "wait till I
  catch you outside") score low with every bag-of-words or toxicity model; a small pattern layer
  raises them.
* Second-person insults built from words a profanity list lacks ("you're a brain-dead bootlicker").
* Dismissals ("get lost", "nobody asked you"), intensified slang ("you absolute weapon"), dehumanising
  words for people ("the family are animals", "not human"), identity attacks without slurs ("go back to
  your own country") and violence as desert ("deserves a beating"; never "deserves a long sentence":
  calls for legal punishment are not abuse).
* Factual discussion of sexual offences ("the panel said grooming doesn't have to be sexual") trips
  scorers on the vocabulary alone; :func:`neutralise` swaps that vocabulary for a neutral word before
  scoring, and masks quotations that the message attributes to someone else ("he texted her 'you're
  a stupid girl'"), so reporting what was said is not itself abuse.

Reasons name the kind of pattern, never the matched words: a message may contain a protected name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})


@dataclass(frozen=True, slots=True)
class PatternHit:
    label: str  # "threat", "incitement" or "insult"
    reason: str  # what kind of pattern, for a moderator; never the matched text
    score: float


def _alt(words: str) -> str:
    return "(?:" + "|".join(w.replace(" ", r"\s+") for w in words.split("|")) + ")"


# --- vocabulary -------------------------------------------------------------------------------------

_INSULT_NOUNS = _alt(
    "idiots?|morons?|muppets?|boot-?lickers?|pricks?|cunts?|twats?|dick-?heads?|dicks?|tossers?|wankers?|"
    "clowns?|imbeciles?|cretins?|half-?wits?|scum-?bags?|scum|losers?|nonces?|paedos?|pedos?|perverts?|pervs?|"
    "retards?|prats?|gits?|planks?|divs?|wazzocks?|mugs?|weirdos?|creeps?|cowards?|freaks?|gobshites?|"
    "cockwombles?|grifters?|melts?|loners?|keyboard warriors?|nobheads?|mongs?|spaz|spastics?|knob-?heads?|"
    "bell-?ends?|bastards?|arse-?holes?|ass-?holes?|shit-?heads?|dip-?shits?|numptys?|"
    "numpties|pillocks?|plonkers?|dim-?wits?|nit-?wits?|fools?|simpletons?|degenerates?|low-?lifes?|bitch(?:es)?|"
    "slags?|sluts?|whores?|cows?|thugs?|ghouls?|worms?|weasels?|slime-?balls?|toe-?rags?|wrong'?uns?|"
    "pond life|pondlife|"
    "trash|beasts?|buffoons?|rats?|snakes?|vermin|maggots?|parasites?|groomers?|rapists?|sheep|sheeple|"
    "piece of shit|waste of space|waste of oxygen|waste of skin|excuse for a human being"
)
_INSULT_ADJS = _alt(
    "stupid|thick|dense|dumb|brain-?dead|brainless|pathetic|useless|worthless|disgusting|vile|deranged|"
    "delusional|clueless|spineless|gutless|gormless|moronic|idiotic|retarded|fucking|f\\*+ing|fkn|effing|"
    "bloody|absolute|utter|complete|total|little|dirty|fat|ugly|sad|sick|twisted|braindead|ignorant|"
    "lying|smug|creepy|snivelling|sniveling|grubby|filthy|massive|proper|right|nasty"
)
_PERSON_ADJS = _alt(
    "stupid|thick|dense|dumb|brain-?dead|brainless|pathetic|useless|worthless|disgusting|vile|deranged|"
    "delusional|clueless|spineless|gutless|gormless|moronic|idiotic|retarded|scum|a disgrace|an embarrassment|"
    "a joke|beneath contempt|subhuman|sub-human|filth"
)
_YOU = r"(?:you|u|ya|yer|youse|you\s+lot)"
#: Insults that are insults wherever they stand; addressed on their own ("bellend.", "..., creep") they flag.
_VOCATIVE_NOUNS = _alt(
    "bell-?ends?|cockwombles?|dick-?heads?|knob-?heads?|nob-?heads?|twats?|tossers?|wankers?|pricks?|cunts?|"
    "arse-?holes?|ass-?holes?|shit-?heads?|dip-?shits?|boot-?lickers?|numptys?|numpties|pillocks?|plonkers?|"
    "half-?wits?|imbeciles?|cretins?|morons?|idiots?|muppets?|scum-?bags?|low-?lifes?|gobshites?|wazzocks?|"
    "melts?|creeps?|losers?|retards?|weirdos?|clowns?|trolls?|saddos?|nonces?|bastards?"
)
_NEG_ADJS = _alt(
    "stupid|thick|dense|dumb|brain-?dead|brainless|pathetic|useless|worthless|disgusting|vile|deranged|"
    "delusional|clueless|spineless|gutless|gormless|moronic|idiotic|retarded|fucking|f\\*+ing|fkn|effing|"
    "sad|sick|twisted|braindead|ignorant|lying|smug|creepy|snivelling|sniveling|grubby|filthy|nasty|"
    "bootlicking|boot-licking|cowardly|evil|dirty|ugly|fat|weak|miserable|sorry|wretched|rancid|inbred"
)
_YOU_ARE = r"(?:you\s*'?\s*re|you\s+are|your|ur|u\s+r|you\s+r|you\s+lot\s+are)"
_PEOPLE = _alt(
    "officers?|coppers?|cops?|pigs?|polices?|plod|judges?|magistrates?|sergeants?|inspectors?|constables?|"
    "detectives?|teachers?|head|headteacher|heads|chair|chairman|man|woman|men|women|guy|bloke|lads?|girls?|boys?|"
    "kids?|nonces?|paedos?|scum|bastards?|pricks?|family|families|mother|father|mum|dad|witness(?:es)?|"
    "victims?|lawyers?|barristers?|solicitors?|journalists?|reporters?|mps?|councillors?|chief|commissioner|"
    "ministers?|mods?|moderators?|grass|snitch|informant|neighbours?|landlord|accused|defendant|suspect|"
    "perverts?|rapists?|groomers?|abusers?|lot|pair|gang|animal|animals|monster|monsters|traitors?|thugs?"
)
_OBJ = (
    rf"(?:him|her|them|you|ya|u|his|their|your|(?:that|the|those|this|these)\s+(?:\w+\s+)?{_PEOPLE}|\w+'s|"
    r"(?-i:[A-Z][a-z][\w'-]*))\b"  # a capitalised word: a name
)
_ACTORS = (
    r"(?:some(?:one|body|1)|people|we|you\s+lot|any(?:one|body)|one\s+of\s+(?:us|you)|the\s+lads|they|"
    r"somebody's|someone's|i)"
)
_MODALS = (
    r"(?:should|shud|ought\s+to|oughta|need\s+to|needs\s+to|must|has\s+to|have\s+to|gotta|got\s+to|"
    r"wants?\s+to|is\s+going\s+to|are\s+going\s+to|gonna|will|'ll|would|could|can|might|deserves?\s+to)"
)
_VIOLENT_VERBS = _alt(
    "smash|smashes|batter|beat|kick|stab|shoot|kill|murder|hang|lynch|burn|torch|firebomb|petrol-?bomb|brick|"
    "glass|kneecap|hurt|punch|knock|nut|headbutt|castrate|thump|deck|slap|strangle|choke|knife|cut|maim|bash|lamp|leather|twat|wreck|"
    "break|string|run|hunt|waste|end|bury|drown|throttle|rough|jump|doxx?|dox|track"
)
_VIOLENT_NOUNS = _alt(
    "beating|kicking|hiding|good hiding|slap|going over|seeing to|bullet|brick through|smack|pasting|"
    "battering|hammering|knife|lesson|visit"
)
_HARM_PARTICIPLES = _alt(
    "beaten|beaten up|battered|kicked in|kicked to death|stabbed|shot|hanged|hung|killed|murdered|lynched|"
    "strung up|burned|burnt|raped|tortured|kneecapped|glassed|knifed|put down|run over|set on fire|maimed|"
    "done in|sorted out|taken out|dealt with|hurt|attacked|bashed|hunted down|torn apart|ripped apart"
)

# --- patterns ---------------------------------------------------------------------------------------

_THREATS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"\b(?:i|we|i've|we've)\s+(?:know|found|got|have|found\s+out)\s+where\s+{_YOU}\s+"
                r"(?:live|work|sleep|park|drink|go|are|stay|drop|shop|train)", re.I),
     "threat: says they know where the reader lives or works"),
    (re.compile(rf"\b(?:wait|wait\s+(?:till|til|until)|just\s+wait|when|if|once|next\s+time)\s+(?:i|we)\s+"
                rf"(?:ever\s+)?(?:catch|get|find|see|meet|get\s+hold\s+of|get\s+my\s+hands\s+on)\s+{_YOU}\b", re.I),
     "threat: promises to catch the reader"),
    (re.compile(rf"\b(?:i|we)\s+(?:know|found\s+out|have\s+found|'ve\s+found)\s+(?:where|which\s+\w+|what\s+\w+)\s+"
                rf"(?:{_YOU}|your\s+\w+|he|she|they|(?:the|that)\s+\w+|(?:his|her|their)\s+\w+|(?-i:[A-Z0-9][\w-]*))\s+(?:live|lives|uses|drives?|work|works|go|goes|sleep|sleeps|park|parks|drink|train|"
                r"stay|stays|shop|use|drop|walk|are)\b|\b(?:i|we)\s*(?:'ve|have)?\s*got\s+(?:your|ur)\s+"
                r"(?:home\s+)?(?:address|postcode|number|details|reg|plate|car\s+reg)\b", re.I),
     "threat: says they know where the reader or their family can be found"),
    (re.compile(rf"\b{_YOU}\s*(?:'ll|will|are\s+going\s+to|'re\s+going\s+to|'re\s+gonna|are\s+gonna)\s+"
                r"(?:be\s+sorry|find\s+out\s+what\s+happens|get\s+what'?s\s+coming|regret|pay\s+for)\b|"
                r"\bsay\s+(?:that|it)\s+to\s+my\s+face\b|\bwhat'?s\s+coming\s+to\s+(?:you|ya|u)\b", re.I),
     "threat: promises the reader will suffer for it"),
    (re.compile(r"\b(?:i|we)\s*(?:'ll|will|'m\s+going\s+to|am\s+going\s+to|'m\s+gonna|am\s+gonna|are\s+going\s+to|"
                r"'re\s+gonna|'re\s+going\s+to|are\s+gonna)\s+(?:come\s+(?:for|after|round\s+to)|find|track\s+down|"
                r"hunt\s+down|get|visit|deal\s+with|sort)\s+(?:you|ya|u|your)\b", re.I),
     "threat: says they will come for the reader"),
    (re.compile(r"\b(?:i|we|people|they|my\s+\w+)\s+(?:\w+\s+){0,3}?knows?\s+(?:your|ur|yer)\s+"
                r"(?:real\s+name|car|address|postcode|house|home|street|kids|children|wife|husband|family|school|"
                r"workplace|reg|plate|face|routine)\b", re.I),
     "threat: says they know the reader's home, car or family"),
    (re.compile(r"\b(?:i'?m|we'?re|i\s+am|we\s+are|i'?ll\s+be|we'?ll\s+be|(?:i|we)\s+will\s+be|coming|come|turn\s+up|"
                r"show\s+up)\s+(?:\w+\s+){0,2}?(?:at|to|round|outside)\s+(?:your|ur|yer)\s+(?:front\s+)?"
                r"(?:door|house|home|place|gaff|work|flat)\b|\bcoming\s+round\s+(?:to\s+)?(?:yours|your\s+(?:house|place|gaff))|"
                r"\byou'?ll\s+(?:get|hear)\s+a\s+knock\b|\b(?:after|when|once)\s+(?:i'?m|i\s+am|we'?re|we\s+are)\s+"
                r"(?:done|finished|through)\s+with\s+(?:you|ya|u)\b|\bbetter\s+hope\s+(?:i|we)\s+(?:never|don'?t)\s+"
                r"(?:find|meet|see|catch|get)", re.I),
     "threat: says they will come to the reader"),
    (re.compile(r"\byou'?(?:ll|\s+will)\s+(?:\w+\s+){0,4}?(?:new\s+(?:set\s+of\s+)?teeth|hospital|ambulance|wheelchair|"
                r"crutches|dentist|grave|coffin|body\s*bag|teeth)\b|\byou'?(?:ll|\s+will)\s+be\s+(?:dead|hurting|bleeding|"
                r"limping|eating\s+through\s+a\s+straw)\b", re.I),
     "threat: promises the reader injury"),
    (re.compile(r"\b(?:hope|wish|pray)\s+(?:that\s+)?(?:some(?:one|body)|they|he|she|it|you|a\s+\w+)\s+(?:\w+\s+){0,2}?"
                r"(?:runs?\s+(?:you|him|her|them)\s+over|kills?|stabs?|shoots?|beats?|batters?|rapes?|"
                r"(?:gets?|are|is)\s+(?:run\s+over|killed|stabbed|shot|beaten|battered|raped|hurt|cancer))\b", re.I),
     "threat: wishes harm on someone"),
    (re.compile(r"\b(?:you'?ve|you\s+have)\s+got\s+it\s+coming\b|\b(?:i'?ll|we'?ll|(?:i|we)\s+will)\s+be\s+waiting\s+"
                r"for\s+(?:you|ya|u)\b|\bmake\s+your\s+life\s+(?:a\s+)?(?:living\s+)?hell\b|\bshame\s+if\s+(?:something|"
                r"anything)\s+(?:happened|were\s+to\s+happen|happens)\b", re.I),
     "threat: menaces the reader"),
    (re.compile(r"\b(?:keep|carry\s+on|keep\s+on|try|say\s+that\s+again|do\s+that\s+again|go\s+on)\b[^.!?]{0,40}"
                r"\band\s+(?:see|watch)\s+what\s+happens\b", re.I),
     "threat: dares the reader to continue"),
    (re.compile(r"\blook(?:ing)?\s+over\s+(?:your|ur|yer|his|her|their)\s+shoulder|\b(?:won'?t|never|not)\s+sleep\s+"
                r"(?:easy|soundly|well|safe)\b|\baddress\s+is\s+(?:going\s+round|out\s+there|everywhere|being\s+shared)\b|"
                r"\bwhat'?s\s+coming\s+to\s+(?:him|her|them)\b|\benjoy\s+(?:your|his|her|their)\s+last\s+(?:few\s+)?"
                r"(?:days|weeks|months|nights)\b", re.I),
     "threat: warns someone of harm"),
    (re.compile(r"\b(?:watch\s+(?:your|ur|yer|his|her|their)\s+back|sleep\s+with\s+one\s+eye\s+open|"
                r"won'?t\s+see\s+(?:it|us|me)\s+coming|your\s+(?:days\s+are|time\s+is)\s+numbered)", re.I),
     "threat: warns the reader of harm"),
    (re.compile(rf"\b{_YOU_ARE}\s+(?:dead|dead\s+meat|a\s+dead\s+(?:man|woman)|getting\s+(?:it|battered|done)|"
                r"going\s+to\s+get\s+it|gonna\s+get\s+it)\b", re.I),
     "threat: tells the reader they are dead"),
    (re.compile(rf"\b(?:i|we)\s*(?:'ll|will|'m\s+going\s+to|am\s+going\s+to|'m\s+gonna|am\s+gonna|are\s+going\s+to|"
                rf"are\s+gonna|'re\s+gonna|'re\s+going\s+to|shall|would\s+happily|want\s+to|wanna|'d\s+(?:love|like)\s+to|"
                rf"would\s+(?:love|like)\s+to|'d\s+happily|'d\s+gladly|swear\s+(?:i|we)\s*(?:'ll|will))\s+"
                rf"(?:\w+\s+)?{_VIOLENT_VERBS}\w*\s+{_OBJ}", re.I),
     "threat: states an intention to hurt someone"),
    (re.compile(rf"\b(?:i|we)\s+(?:hope|wish|pray)\s+(?:that\s+)?{_YOU}\s+(?:\w+\s+)?(?:die|dies|get|gets|are|is|"
                rf"end\s+up)\s+(?:\w+\s+)?{_HARM_PARTICIPLES}", re.I),
     "threat: wishes harm on the reader"),
    (re.compile(rf"\b(?:i\s+hope|hope)\s+{_YOU}\s+(?:die|rot|burn|suffer|get\s+cancer)\b", re.I),
     "threat: wishes harm on the reader"),
    (re.compile(r"\b(?:come|step|meet\s+me)\s+outside\b|\bkill\s+(?:your|ur)self\b|\bkys\b|\bgo\s+(?:and\s+)?die\b",
                re.I),
     "threat: invites violence or self-harm"),
    (re.compile(rf"\b{_YOU}\s*(?:'ll|will|are\s+going\s+to|'re\s+going\s+to|'re\s+gonna|are\s+gonna)\s+"
                r"(?:regret|pay\s+for)\s+(?:this|that|it|saying)", re.I),
     "threat: promises the reader will pay"),
]

_INCITEMENT: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"\b{_ACTORS}\s+(?:really\s+|just\s+|honestly\s+)?{_MODALS}\s+(?:\w+\s+){{0,3}}?"
                rf"{_VIOLENT_VERBS}\w*\s+(?:\w+\s+)?{_OBJ}", re.I),
     "incitement: calls for violence against someone"),
    (re.compile(rf"\b{_ACTORS}\s+(?:really\s+|just\s+)?{_MODALS}\s+(?:\w+\s+){{0,3}}?(?:give|gives|giving)\s+"
                rf"{_OBJ}\s+(?:\w+\s+){{0,2}}?(?:a|an|the)\s+(?:\w+\s+)?{_VIOLENT_NOUNS}", re.I),
     "incitement: calls for violence against someone"),
    (re.compile(rf"\b(?:pay|paying|pays)\s+(?:{_OBJ}|(?:his|her|their)\s+\w+)\s+a\s+(?:little\s+|proper\s+|friendly\s+)?"
                rf"visit\b|"
                rf"\bteach\s+{_OBJ}\s+a\s+lesson\b|\bsort\s+{_OBJ}\s+out\b|\bstring\s+{_OBJ}\s+up\b|"
                rf"\bput\s+{_OBJ}\s+in\s+(?:hospital|the\s+ground|a\s+box|a\s+wheelchair)\b|"
                rf"\bfind\s+(?:out\s+)?where\s+(?:he|she|they|this\s+\w+|that\s+\w+|the\s+\w+|(?-i:[A-Z][a-z][\w'-]*))\s+"
                r"(?:lives?|works?|sleeps?|drinks?|trains?)\b|\bmake\s+(?:him|her|them|(?-i:[A-Z][a-z][\w'-]*))\s+pay\b|"
                r"\bbricks?\s+through\s+(?:his|her|their|the\s+\w+'s|\w+'s)\s+(?:\w+\s+)?windows?\b|"
                rf"\b{_ACTORS}\s+{_MODALS}\s+take\s+(?:him|her|them|(?:that|the|this)\s+\w+|(?-i:[A-Z][a-z][\w'-]*))\s+out\b",
                re.I),
     "incitement: calls for someone to be sought out or hurt"),
    (re.compile(rf"\b(?:he|she|they|him|her|them|that\s+\w+|the\s+\w+|this\s+\w+|these\s+\w+|those\s+\w+|"
                rf"(?-i:[A-Z][a-z][\w'-]*))\s+(?:deserves?|need|needs|ought|should|wants)\s+(?:to\s+(?:be|get)\s+)?(?:a\s+)?"
                rf"(?:good\s+|proper\s+|fucking\s+)?(?:{_HARM_PARTICIPLES}|{_VIOLENT_NOUNS}|to\s+die|a\s+bullet)\b",
                re.I),
     "incitement: says someone deserves violence"),
    (re.compile(r"\b(?:hang|lynch|shoot|burn|kill|string\s+up|torch|stab|firebomb|castrate|knife)\s+(?:the\s+)?"
                r"(?:lot\s+of\s+)?"
                r"(?:him|her|them|the\s+\w+|that\s+\w+|those\s+\w+|his\s+\w+|her\s+\w+|their\s+\w+)\b"
                r"(?:\s+(?:down|up|out|alive))?\s*(?:[.!,]|$|\s+and\b)", re.I),
     "incitement: calls for violence against someone"),
    (re.compile(r"\b(?:smash|put|kick|brick|burn)\s+(?:in\s+)?(?:his|her|their|\w+'s)\s+(?:\w+\s+)?"
                r"(?:windows?|doors?|house|car|face|head|teeth|legs?|skull)\b", re.I),
     "incitement: calls for attacks on someone or their property"),
]

_HARM_GERUNDS = _alt(
    "stringing up|hanging|shooting|kneecapping|battering|kicking|a kicking|a beating|a good kicking|a slap|"
    "burning|lynching|strangling|sorting out|doing in|putting down|a bullet|a brick through (?:his|her|their) window"
)
_INCITEMENT += [
    (re.compile(r"\b(?:kick|kicks|kicked|cave|caves|caved|smash|smashes|bash|bashes|stove|knock|knocks|punch|punches)\s+"
                r"(?:his|her|their|your|the\s+\w+'s|\w+'s)\s+(?:teeth|head|face|skull|jaw|legs?|brains?)\s+in\b|"
                r"\bgive\s+(?:him|her|them|(?-i:[A-Z][a-z][\w'-]*)|(?:that|the)\s+\w+)\s+a\s+(?:good\s+|proper\s+|little\s+)?"
                r"(?:slap|kicking|beating|hiding|smack|clip|belt|pasting|battering|going\s+over|seeing\s+to)\b"
                r"(?!\s+on\s+the\s+wrist)", re.I),
     "incitement: calls for violence against someone"),
    (re.compile(r"\b(?:have|get|gets|got|had|having|getting|wants?|needs?|deserves?)\s+(?:their|his|her|your|the)\s+"
                r"(?:teeth|head|face|legs|skull|jaw|"
                r"windows?|door|heads)\s+(?:kicked|smashed|knocked|caved|punched|put|bashed|stoved|booted)\s+in\b|"
                r"\b(?!(?:not|never|nobody|noone|one|t|child|kid|victim|baby)\b)(?:and|who|he|she|they|[a-z]+)\s+deserves?\s+(?:a\s+bullet|to\s+(?:die|burn|suffer|be\s+shot|hang|swing))\b|"
                r"(?<!not\s)(?<!n't\s)(?<!never\s)(?<!didn't\s)\b(?:should|ought\s+to|deserve\s+to|can|must)\s+(?:all\s+)?(?:burn|die|hang|swing)(?:\s+in\s+hell|\s+for\s+"
                r"(?:this|it|that))?\s*(?:[.!,]|$)|\bdie\s+in\s+a\s+(?:fire|ditch|hole)\b", re.I),
     "incitement: calls for violence against someone"),
    (re.compile(rf"\b{_ACTORS}\s+{_MODALS}\s+(?:\w+\s+){{0,6}}?and\s+{_VIOLENT_VERBS}\w*\s+{_OBJ}", re.I),
     "incitement: calls for violence against someone"),
    (re.compile(r"\b(?:give|gimme)\s+me\s+(?:\w+\s+){0,2}?(?:minutes?|mins?|seconds?|hours?)\s+(?:alone\s+)?with\b|"
                r"\b(?:alone|locked|locking|lock\s+\w+)\s+in\s+a\s+room\s+with\b", re.I),
     "incitement: wants to be left alone with someone"),
    (re.compile(r"\bgo\s+(?:and\s+)?(?:make\s+yourselves\s+known|have\s+a\s+word|pay\s+\w+\s+a\s+visit|give\s+\w+\s+some)\b|"
                r"\b(?:his|her|their)\s+(?:house|home|address|flat)\s+is\s+(?:on|at|in)\b[^.!?]*[.,;!]?\s*"
                r"\b(?:go|get\s+round|visit|let'?s|make)\b", re.I),
     "incitement: sends people to someone"),
    (re.compile(r"\b(?:round|rounding)\s+(?:them|him|her|'em|em)\s+up\s+and\b|\band\s+(?:hang|lynch|shoot|string\s+up|torch|"
                r"burn|kneecap|castrate)\s+(?:them|him|her|'em)\b", re.I),
     "incitement: calls for violence against someone"),
    (re.compile(rf"\b(?:he|she|they|him|her|them|that\s+\w+|the\s+\w+|this\s+\w+|those\s+\w+|it|who)\s+"
                rf"(?:wants?|needs?|deserves?)\s+{_HARM_GERUNDS}\b", re.I),
     "incitement: says someone deserves violence"),
    (re.compile(r"\b(?:should|ought\s+to|oughta|need\s+to|needs\s+to|must|deserves?\s+to)\s+(?:all\s+|really\s+|just\s+|"
                r"honestly\s+|simply\s+)?(?:be|get)\s+(?:taken\s+out\s+and\s+|dragged\s+out\s+and\s+|lined\s+up\s+and\s+)?"
                r"(?:shot|hanged|hung|lynched|strung\s+up|beaten(?:\s+up)?|stabbed|kneecapped|burned|burnt|executed|"
                r"killed|castrated|tortured|put\s+down|battered|put\s+up\s+against\s+a\s+wall|"
                r"lined\s+up\s+against\s+a\s+wall|put\s+against\s+a\s+wall)\b(?!\s+(?:into|in\s+to|onto))", re.I),
     "incitement: says people should be killed or hurt"),
    (re.compile(r"(?:^|[,.;:!?]\s*|\b(?:just|go|then|and\s+then)\s+)(?:deck|batter|smash|stab|punch|glass|kick|twat|lamp|"
                r"hang|shoot|lynch|knife|slap|thump|leather|bottle|hit)\s+(?:him|her|them)\b", re.I),
     "incitement: tells people to attack someone"),
    (re.compile(r"\b(?:turn|show|rock)\s+up\s+(?:at|outside)\s+(?:his|her|their|the\s+\w+'s|that\s+\w+'s)\s+"
                r"(?:house|home|door|doorstep|work|office|school|gym)\b|\bgo\s+round\s+(?:to\s+)?(?:his|her|their)\b",
                re.I),
     "incitement: calls for people to go to someone's home or work"),
    (re.compile(r"\b(?:burn|torch|firebomb|petrol\s*bomb)\s+(?:the|his|her|their|that)\s+(?:\w+\s+)?"
                r"(?:station|house|home|car|office|flat|place|school|court|mosque|church|synagogue|van|shop)\b", re.I),
     "incitement: calls for arson"),
]

_SUBJECT_3P = (
    r"(?:he|she|they|(?:that|this|the)\s+(?:\w+\s+)?(?:man|woman|guy|bloke|officer|copper|cop|teacher|coach|lawyer|"
    r"solicitor|barrister|judge|sergeant|inspector|detective|constable|defendant|accused|chair|head|headteacher|"
    r"family|lot|pair|one)|(?-i:[A-Z][a-z][\w'-]*)(?:'s\s+\w+)?|(?-i:[A-Z]\d+[\w-]*))"
)
_INSULTS_3P: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"\b(?:that|this|the|these|those)\s+(?:[\w-]+\s+)?{_INSULT_NOUNS}\s+(?:should|deserves?|needs?|wants?|is|"
                r"are|was|has|had|will|can|could|must|got|gets|ought)\b", re.I),
     "insult: calls someone names"),
    (re.compile(rf"\b(?:is|are|was|were|'s|'re)\s+(?:(?:just|nothing\s+but|such|clearly|obviously|an?|one|absolute|utter|"
                rf"complete|total|proper|a\s+bunch\s+of|a\s+pack\s+of|all)\s+){{0,3}}(?:(?:{_NEG_ADJS}|{_INSULT_ADJS}|"
                rf"soulless|brainwashed|inbred|bent)[\s,]+){{0,2}}(?:[\w-]+\s+)?{_INSULT_NOUNS}\b"
                r"(?!\s+(?:run|race|trap|farm|hole|poison|wing|catcher|hunters?|sniffer|show|world|car|shoes|costume|"
                r"court|school|fish|king|face|tank|pen|fry|killer|spray))", re.I),
     "insult: calls someone names"),
    (re.compile(rf"\b{_SUBJECT_3P}\s+(?:is|are|was|'s)\s+(?:(?:just|nothing\s+but|such|clearly|obviously|an?|one|"
                rf"absolute|utter|complete|total|proper)\s+){{0,3}}(?:(?:{_INSULT_ADJS})[\s,]+){{0,2}}{_INSULT_NOUNS}\b|"
                rf"\b{_SUBJECT_3P}\s+(?:is|are|was|'s)\s+(?:(?:just|nothing\s+but|such|clearly|an?)\s+){{0,2}}"
                rf"(?:{_NEG_ADJS}|murdering|murderous|lying|paedo|predatory|evil|corrupt|bent)\s+(?:[\w-]+\s+)?"
                r"(?:pigs?|animals?|monsters?|predators?|scum|filth|vermin|bastards?|parasites?|rats?|snakes?|creeps?|"
                r"pervs?|perverts?|nonces?|freaks?|thugs?|beasts?|cowards?|liars?|cunts?|pricks?|twats?)\b|"
                rf"\b{_SUBJECT_3P}\s+(?:is|are|was|'s)\s+(?:(?:just|clearly|so|utterly)\s+)?(?:subhuman|sub-human|"
                r"filth|scum|vermin|beneath\s+contempt)\b|\b(?:is|are|'re|'s)\s+(?:\w+\s+)?sick\s+in\s+the\s+head\b",
                re.I),
     "insult: calls someone names"),
]
_INSULTS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"\b{_YOU}\s+(?:[a-z-]+\s+){{1,2}}{_INSULT_NOUNS}\s*(?:[.,!?]|$)", re.I),
     "insult: calls the reader names"),
    (re.compile(rf"(?:^|[.,!?;:]\s*)(?:(?:you|ya|u|the|that|this|what\s+an?)\s+)?(?:(?:{_INSULT_ADJS})\s+){{0,2}}"
                rf"{_VOCATIVE_NOUNS}\s*(?:[.,!?]|$)",
                re.I),
     "insult: calls the reader names"),
    (re.compile(rf"\b{_YOU_ARE}\s+(?:such\s+|just\s+|really\s+|nothing\s+but\s+|literally\s+)?(?:an?\s+|one\s+)"
                rf"(?:[\w-]+[\s,]+){{0,2}}?{_INSULT_NOUNS}\b|\b(?:an?\s+)?{_INSULT_NOUNS}\s+like\s+(?:you|u)\b|"
                rf"\bwhat\s+an?\s+(?:[\w-]+\s+){{0,2}}?{_INSULT_NOUNS}\b", re.I),
     "insult: calls the reader names"),
    (re.compile(rf"\b{_YOU}\s+(?:(?:absolute|utter|complete|total|little|massive|proper|bloody)\s+)?"
                rf"(?!sick\b)(?:{_NEG_ADJS})\s+(?!(?:to|of|and|or|the|a|an|that|this|it|in|on|at|for|with|if|when|as|but|"
                r"enough|up|down|out|off)\b)[a-z]+\b", re.I),
     "insult: calls the reader names"),
    (re.compile(rf"\b{_YOU_ARE}\s+(?:such\s+|just\s+|really\s+|nothing\s+but\s+|literally\s+)?(?:an?\s+|one\s+)?"
                rf"(?:(?:{_INSULT_ADJS})[\s,]+){{0,3}}{_INSULT_NOUNS}\b", re.I),
     "insult: calls the reader names"),
    (re.compile(rf"(?:^|[,.!?;:]\s*|\b(?:and|off|up|shut\s+up|listen|oi)\s+){_YOU}\s+(?:(?:{_INSULT_ADJS})[\s,]+){{0,3}}"
                rf"{_INSULT_NOUNS}\b", re.I),
     "insult: calls the reader names"),
    (re.compile(rf"\b{_YOU}\s+(?:(?:{_INSULT_ADJS})[\s,]+){{1,3}}{_INSULT_NOUNS}\b", re.I),
     "insult: calls the reader names"),
    (re.compile(rf"\b(?:{_YOU_ARE}\s+(?:such\s+)?(?:an?\s+|one\s+)?|{_YOU}\s+)"
                rf"(?:(?:absolute|utter|complete|total|little|massive|proper|bloody)\s+)?{_NEG_ADJS}"
                rf"[\s,]+(?:(?:\w+|little|old)\s+){{0,2}}?(?:{_INSULT_NOUNS}|man|woman|boy|girl|person|creature|thing|"
                r"specimen|individual|apologist|shill|troll|excuse|lot|people|clown|coward|idiot|\w+(?:er|ist|ers|ists)\b)",
                re.I),
     "insult: calls the reader names"),
    (re.compile(rf"\b{_YOU_ARE}\s+(?:(?:so|such|really|just|clearly|obviously|completely|too|far\s+too|way\s+too)\s+){{0,2}}"
                rf"{_PERSON_ADJS}\b", re.I),
     "insult: demeans the reader"),
    (re.compile(r"\bshut\s+(?:your|ur|yer|the)\s+(?:\w+\s+)?(?:mouth|face|gob|trap|hole|pie\s*hole|cakehole)\b|"
                r"\bshut\s+the\s+f\w*\s+up\b|\bstfu\b|\bget\s+fucked\b|(?:^|[.,!?;:]\s*)(?:oh\s+|just\s+)?shut\s+(?:up|it)\b|"
                r"\bshut\s+up\s*,?\s+(?:you|ya|u)\b", re.I),
     "insult: tells the reader to shut up"),
    (re.compile(rf"\bonly\s+(?:an?\s+)?(?:(?:{_INSULT_ADJS})\s+){{0,2}}{_INSULT_NOUNS}\s+(?:would|could|can|thinks?)\b|"
                rf"\b(?:anyone|anybody|people|those)(?:\s+like\s+(?:you|him|her|them|that))?\s+who\b[^.!?]{{0,60}}"
                rf"\b(?:is|are)\s+(?:an?\s+)?"
                rf"(?:(?:{_INSULT_ADJS})\s+){{0,2}}{_INSULT_NOUNS}\b", re.I),
     "insult: calls those who disagree names"),
]

# --- round 7: dismissals, intensified slang insults, dehumanising language, identity attacks ----------

#: Praise that shares the "you absolute ..." frame ("you absolute legend").
_PRAISE = _alt(
    "legends?|stars?|heroe?s?|genius(?:es)?|gems?|saints?|diamonds?|angels?|champions?|champs?|beauty|lifesavers?|"
    "superstars?|treasures?|belters?|babes?|darlings?|sweethearts?|unit|king|queen|rock|hero|beginners?|novices?|"
    "strangers?|naturals?|professionals?|pros?|experts?|gentleman|lady|credit|pleasure|inspiration"
)
_FUNCTION_WORDS = _alt(
    "the|a|an|this|that|these|those|it|its|your|my|his|her|their|our|me|him|them|us|to|of|and|or|in|on|at|for|"
    "with|nonsense|rubbish|truth|lies|words?|forms?|confidence|sense|madness"
)
#: People a dehumanising word can be aimed at (besides pronouns and names).
_PERSON_NOUNS = _alt(
    "parents?|mothers?|fathers?|mums?|dads?|family|families|officers?|coppers?|cops?|police|men|women|man|woman|"
    "people|lot|pair|gang|defendants?|accused|carers?|staff|workers?|teachers?|coach(?:es)?|priests?|"
    "grooming\\s+gangs?|abusers?|offenders?|rapists?|paedos?|nonces?|kids|youths?|lads|girls|boys|neighbours?|"
    "foreigners?|immigrants?|migrants?|refugees?|asylum\\s+seekers?|muslims?|jews?|christians?|catholics?|"
    "protestants?|travellers?|gypsies|pakis?|poles?|romanians?|nigerians?|somalis?|albanians?"
)
_GROUPS = _alt(
    "muslims|jews|christians|catholics|protestants|hindus|sikhs|immigrants|migrants|foreigners|refugees|travellers|"
    "gypsies|blacks|asians|pakistanis|poles|romanians|africans|albanians|eastern europeans|arabs|somalis|nigerians|"
    "indians|asylum seekers|irish|scots|english|gays|trans people"
)
_PERSON_SUBJECT = (
    rf"(?:\b(?:he|she|they|them|you|you\s+lot|(?:the|that|this|these|those|such|his|her|their|all)\s+(?:\w+\s+)?{_PERSON_NOUNS}|"
    rf"{_PERSON_NOUNS}\s+like\s+(?:him|her|them|that|you))|"
    r"(?-i:\b(?!(?:It|Its|This|That|There|These|Those|Here|What|Which|Who|The|And|But|So)\b)"
    r"(?![A-Za-z]+(?:ism|isms|tion|ness|ity|ment|ance|ence)\b)[A-Z][a-z][\w'-]*))"
)
_DEHUMANISING = "(?:" + (
    _alt("animals|an\\s+animal|pigs|vermin|parasites|cockroaches|savages|a\\s+savage|subhuman|sub-human|filth|scum|"
         "beasts|a\\s+beast|rats|a\\s+rat|a\\s+plague|an\\s+infestation|"
         "an?\\s+(?:stain|blight|cancer|plague)\\s+on\\s+(?:humanity|society|the\\s+earth|this\\s+planet|mankind|"
         "the\\s+human\\s+race)|an?\\s+waste\\s+of\\s+(?:space|oxygen|skin|air)")
    # adjectives and "not human" only when they end the clause ("are vile and ...", not "were evil to leave him")
    + "|" + _alt("not\\s+(?:even\\s+)?human|less\\s+than\\s+human|vile|evil|disgusting|repulsive")
    + r"(?=\s*(?:[.,!?;:]|$|and\b|-))"
) + ")"

_DISMISSALS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(?:^|[.,!?;:]\s*|\band\s+|\bjust\s+|\bnow\s+)(?:get\s+lost|jog\s+on|do\s+one|sling\s+your\s+hook|"
                r"take\s+a\s+running\s+jump|crawl\s+off|clear\s+off|bog\s+off|naff\s+off|sod\s+off|bugger\s+off|push\s+off|"
                r"buzz\s+off|pipe\s+down|wind\s+(?:your|yer|ur)\s+neck\s+in|away\s+(?:and|an'?)\s+(?:bile|boil|bolt|"
                r"raffle|shite)\w*|go\s+away)\b(?!\s+(?:in|on|at|from|for|to|with|during|after|before|while|the)\b)",
                re.I),
     "insult: dismisses the reader"),
    (re.compile(r"\b(?:no\s*(?:one|body)|nobody|who)\s+(?:even\s+)?asked\s+(?:you|ya|u|for\s+your\s+(?:opinion|input|view))\b|"
                r"\b(?:no\s*(?:one|body)|nobody)\s+(?:here\s+)?(?:cares|gives\s+a\s+\w+)\s+(?:what|about)\s+(?:you|ya|u|your)\b|"
                r"\bcrawl\s+back\s+(?:under|into|in|to|down)\s+(?:your|ur|yer|whatever|the|a|that)\s+(?:\w+\s+){0,2}?"
                r"(?:rock|hole|stone|cave|sewer|gutter|swamp|bridge|pit)\b|\bget\s+back\s+under\s+(?:your|ur|yer|the)\s+"
                r"(?:rock|bridge|stone)\b", re.I),
     "insult: dismisses the reader"),
]

_INSULTS_R7: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"\b(?:you|ya|u|{_YOU_ARE}\s+(?:an?|such\s+an?))\s+(?:absolute|utter|complete|total|pure|proper|massive|"
                rf"daft|big|wee)\s+"
                rf"(?!(?:{_PRAISE}|{_FUNCTION_WORDS})\b)[a-z][a-z-]+(?:\s+(?!(?:{_FUNCTION_WORDS})\b)[a-z-]+)?\s*(?:[.,!?;:]|$)",
                re.I),
     "insult: calls the reader an intensified name"),
    (re.compile(r"\b(?:pathetic|sad|nasty|snivelling|sniveling|spineless|gutless|vile|grubby|creepy|smug|bitter|sorry|"
                r"miserable|weird|slimy|odious|repulsive|horrible|wretched|rancid)\s+"
                r"(?:(?:little|wee|old|excuse\s+for\s+a)\s+)?(?:man|woman|troll|creature|specimen|individual|nobody|keyboard\s+\w+|"
                r"excuse\s+for\s+a\s+\w+)\b", re.I),
     "insult: belittles someone"),
    (re.compile(r"\b(?:your|what\s+an?)\s+(?:\w+\s+)?(?:sad|tragic|pathetic|empty|lonely|miserable|boring|dull|small)\s+"
                r"(?:little\s+)?(?:life|lives|existence|world|bubble)\b(?:[^.!?]{0,20}?\byou\b)?", re.I),
     "insult: belittles the reader's life"),
    (re.compile(r"\b(?:an?\s+)?(?:joke|disgrace|embarrassment|waste|sorry\s+excuse|stain)\s+(?:of|for)\s+an?\s+"
                r"(?:human(?:\s+being)?|person|man|woman|specimen)\b", re.I),
     "insult: says someone is barely a person"),
    (re.compile(rf"\b(?:those|these|you|ya|them|dirty|filthy|fat|bent|murdering|racist|corrupt|thieving|lying|evil)\s+"
                rf"(?:pigs|vermin|cockroaches|parasites|savages)\b(?!\s+(?:farm|pen|feed|(?:were|was|are|is|had\s+been|have\s+been)"
                rf"\s+(?:\w+\s+)?(?:found|kept|fed|sold|slaughtered|raised|bred|reared|seized|moved|housed)))|"
                rf"\b{_PERSON_SUBJECT}\s*(?:is|are|'s|'re|was|were)\s+(?:(?:all|just|nothing\s+but|no\s+better\s+than|"
                rf"basically|literally|simply|utterly|absolutely|truly|so|clearly|frankly|quite\s+simply)\s+){{0,2}}"
                rf"{_DEHUMANISING}\b(?!\s+(?:run|race|trap|poison|problem|catchers?|lovers?|welfare|rights|cruelty|charity|sanctuary|error|remains|dna|tissue|"
                rf"blood|trafficking|act|acts|things?|crimes?|offences?|abuse|behaviou?r|conduct))", re.I),
     "insult: dehumanising language about people"),
]

_IDENTITY: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\bgo\s+(?:back|home)\s+(?:to\s+)?(?:where\s+(?:you|they|he|she)\s+(?:came\s+from|come\s+from|belongs?)|"
                r"(?:your|their|his|her)\s+(?:own\s+)?(?:country|countries|kind|land|homeland|village|jungle|desert))|"
                r"\bgo\s+(?:and\s+)?live\b[^.!?]{0,30}?\b(?:to|in)\s+(?:your|their|his|her)\s+own\s+(?:country|countries|kind)\b|"
                r"\b(?:don'?t|do\s+not|doesn'?t|does\s+not|never)\s+belong\s+(?:in|here\s+in)\s+(?:this|our|my)\s+"
                r"(?:country|town|city|community)\b", re.I),
     "identity attack: tells people to leave the country"),
    (re.compile(r"\b(?:send|ship|deport|kick|boot|throw)\s+(?:them|him|her|the\s+(?:whole\s+)?lot\s+of\s+them|them\s+all|"
                r"all\s+of\s+them|that\s+lot|the\s+lot|these\s+people|those\s+people)\s+(?:back|out|home)\s+(?:to\s+where|"
                r"on\s+(?:the|a)\s+(?:next\s+)?(?:boat|plane|dinghy|flight)|to\s+(?:their|his|her)\s+(?:own\s+)?"
                r"(?:country|countries|kind))|\b(?:your|their|his|her|that)\s+lot\s+(?:should|need\s+to|must|ought\s+to|"
                r"want|wants)\s+(?:to\s+)?(?:be\s+)?(?:deported|sent\s+back|sent\s+home|kicked\s+out|thrown\s+out)\b",
                re.I),
     "identity attack: calls for a group to be expelled"),
    (re.compile(r"\bbreed(?:ing|s)?\s+like\s+(?:rats|rabbits|vermin|cockroaches|flies)\b|\b(?:whole|entire|their|your|that)\s+"
                r"(?:religion|race|culture|faith|community|people|kind)\s+(?:is|are)\s+(?:a|an)\s+(?:\w+\s+)?(?:disease|cancer|"
                r"plague|virus|infestation|blight)\b|\bfull\s+of\s+(?:\w+\s+)?(?:parasites|scroungers|savages|low-?lifes|"
                r"degenerates|wasters)\b", re.I),
     "identity attack: dehumanises a group"),
    (re.compile(r"\b(?:they|these\s+people|those\s+people|foreigners|migrants|immigrants|refugees|asylum\s+seekers|\w+s)\s+"
                r"(?:all\s+)?(?:come|coming|came)\s+over\s+here\s+and\b|"
                r"\ball\s+(?:of\s+)?(?:the\s+)?" + _GROUPS + r"\s+are\s+"
                r"(?:all\s+)?(?:the\s+same|criminals|rapists|terrorists|groomers|paedos|nonces|animals|scum|savages|liars|thieves|"
                r"parasites|dangerous|a\s+threat|a\s+problem|like\s+that|trouble|evil|vermin|filth|invaders)\b|"
                r"\b(?:shouldn'?t\s+(?:have\s+)?|should\s+never\s+(?:have\s+)?|never\s+should\s+(?:have\s+)?|stop\s+)"
                r"(?:let|letting|allow|allowing|allowed)\s+(?:them|these\s+people|those\s+people|"
                r"(?:his|their|that)\s+sort|"
                r"(?:these|those)\s+\w+)\s+(?:in\b|into\s+(?:the|this|our)\s+country|over\s+here|across\s+the\s+border)|"
                r"\bwhat\s+happens\s+when\s+(?:you|we|they)\s+let\s+(?:them|these\s+people|those\s+people)\s+"
                r"(?:in\b|into\s+(?:the|this|our)\s+country)", re.I),
     "identity attack: generalises about a group"),
    (re.compile(r"\b(?:an?|the|you|those|these|some|bunch\s+of|of)\s+(?:\w+\s+)?(?:retard|retards|spastic|spastics|spaz|"
                r"mong|mongs|cripples?|window-?lickers?)\b", re.I),
     "identity attack: disability slur"),
]

_INCITEMENT_R7: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\b(?:should|must|ought\s+to|needs?\s+to|wants?\s+to)\s+be\s+made\s+to\s+(?:suffer|feel\s+(?:what|the\s+same|"
                r"the\s+pain|how)|go\s+through\s+(?:what|the\s+same)|experience\s+what)\b", re.I),
     "incitement: calls for someone to be made to suffer"),
    (re.compile(r"\b(?:hope|hopefully|wish|let'?s\s+hope|can'?t\s+wait|cannot\s+wait|trust)\b[^.!?]{0,30}?\b(?:cell\s*-?mates?|"
                r"inmates?|fellow\s+prisoners|other\s+prisoners|other\s+lags|lifers|the\s+lads\s+inside)\s+(?:\w+\s+){0,2}?"
                r"(?:gives?\s+(?:him|her|them)\s+(?:a|an|what|some|the)|sorts?\s+(?:him|her|them)\s+out|deal\s+with\s+(?:him|her|them)|"
                r"get\s+(?:hold\s+of|to)\s+(?:him|her|them)|welcome\s+(?:him|her|them)|teach\s+(?:him|her|them)|"
                r"make\s+(?:his|her|their)\s+life|take\s+care\s+of\s+(?:him|her|them)|know\s+what\s+to\s+do\s+with|"
                r"have\s+(?:some\s+)?fun\s+with)\b", re.I),
     "incitement: wishes violence on someone in prison"),
    (re.compile(r"\bdeserves?\s+(?:whatever|everything|all)\s+(?:he|she|they|it)\s+(?:gets?|has\s+coming|have\s+coming)\s+"
                r"(?:inside|in\s+(?:prison|jail|there|the\s+nick))\b|\b(?:hope|hopefully|wish)\b[^.!?]{0,25}?\b(?:gets?|getting|"
                r"given|receives?)\s+(?:a|an)\s+(?:good\s+|proper\s+|right\s+|real\s+|severe\s+)?(?:kicking|beating|hiding|"
                r"battering|pasting|hammering|going\s+over|seeing\s+to)\b", re.I),
     "incitement: wishes violence on someone"),
    (re.compile(r"\b(?:should|must|need\s+to|needs\s+to|ought\s+to)\s+be\s+(?:found|tracked\s+down|hunted\s+down|rounded\s+up|"
                r"named)\s+and\s+(?:dealt\s+with|sorted(?:\s+out)?|taught\s+a\s+lesson|made\s+to\s+pay|done\s+in|battered|"
                r"beaten|hurt|strung\s+up)\b(?!\s+(?:by|in|through|under|according)\b)", re.I),
     "incitement: calls for someone to be sought out and hurt"),
    (re.compile(r"\b(?:the\s+)?world\s+(?:would\s+be|'d\s+be|is|will\s+be)\s+(?:a\s+)?better\s+(?:off|place)\s+without\s+"
                r"(?:him|her|them|you|people\s+like|(?-i:[A-Z]\w+))|\b(?:doesn'?t|don'?t|does\s+not|do\s+not)\s+deserve\s+"
                r"to\s+(?:live|breathe|exist)\b|\bshould\s+never\s+have\s+been\s+born\b", re.I),
     "incitement: wishes someone dead"),
]
_THREATS_R7: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\bsee\s+how\s+(?:brave|hard|tough|big|clever|gobby|mouthy|cocky|smug|confident)\s+(?:he|she|they|you|"
                r"(?-i:[A-Z][a-z][\w'-]*))\s+(?:is|are|'re|really\s+is|really\s+are|feels?)\s+when\b", re.I),
     "threat: menaces someone with a confrontation"),
    (re.compile(r"\b(?:i'?d|i\s+would|i'?ll|i\s+will|i\s+could|id|someone\s+will|someone'?ll)\s+(?:\w+\s+)?(?:swing|do\s+time|"
                r"do\s+life|do\s+bird)\s+for\s+(?:him|her|them|you|that\s+\w+|(?-i:[A-Z]\w+))\b", re.I),
     "threat: says they would kill someone and take the consequences"),
    (re.compile(r"\bbefore\s+(?:some(?:one|body)|people|we|they|i)\s+(?:finds?|work)\s+out\s+(?:who|where)\s+(?:you|u)\s+"
                r"(?:are|live|work)\b|\b(?:some(?:one|body)|people|we|they)\s+(?:will|'ll|might|could|are\s+going\s+to)\s+"
                r"find\s+out\s+(?:who|where)\s+(?:you|u)\s+(?:are|live|work)\b|\bknows?\s+what\s+happens\s+to\s+"
                r"(?:rats|grasses|snitches|nonces|informers|touts|people\s+like\s+(?:him|her|you|them)|the\s+likes\s+of)\b",
                re.I),
     "threat: warns someone what will happen to them"),]
#: "deserves a beating", "deserve to suffer": violence as desert. Guarded against negation ("nobody deserves to
#: suffer", "she did not deserve to die") and kept apart from legal punishment ("deserves a long sentence").
_DESERVES_HARM = re.compile(
    r"\bdeserve[sd]?\s+(?:to\s+(?:suffer|die|be\s+hurt|be\s+tortured|feel\s+pain|be\s+beaten|burn|get\s+(?:hurt|battered|"
    r"beaten|a\s+beating|a\s+kicking))|(?:nothing\s+less\s+than\s+|nothing\s+but\s+)?(?:a|an)\s+(?:good\s+|proper\s+|"
    r"sound\s+|right\s+|severe\s+|serious\s+)?(?:beating|kicking|hiding|battering|pasting|hammering|slap|smack|bullet|"
    r"going\s+over|seeing\s+to)|(?:what|everything)\s+(?:is\s+coming|'s\s+coming)\s+to\s+(?:him|her|them))\b",
    re.I,
)
_NEGATION_BEFORE = re.compile(
    r"\b(?:no|not|never|nobody|none|noone|n't|nor|neither|didn't|doesn't|don't)\b[^.!?]{0,30}$", re.I
)


_REPORTED_BEFORE = re.compile(
    r"\b(?:tell|telling|told|tells|say|saying|said|says|shout\w*|yell\w*|scream\w*|chant\w*|call\w*|wrote|writing|"
    r"post(?:ed|ing)|convicted|charged|accused|abused)\b[^.!?]{0,50}$", re.I
)


def _unreported(pattern: re.Pattern[str], body: str) -> bool:
    """A match not reported as someone else's words ("convicted after telling a neighbour to go back...")."""
    return any(not _REPORTED_BEFORE.search(body[max(0, m.start() - 80):m.start()]) for m in pattern.finditer(body))


def _deserves_harm(body: str) -> bool:
    for m in _DESERVES_HARM.finditer(body):
        before = body[max(0, m.start() - 40):m.start()].replace("n't", " n't")
        if not _NEGATION_BEFORE.search(before):
            return True
    return False


# --- factual guard ----------------------------------------------------------------------------------

_OFFENCE_VOCABULARY = re.compile(
    r"\b(?:rap(?:e|ed|es|ing)|sexual(?:ly|ised|ized|ity)?|sex|sexting|groom(?:ing|ed|s)?|abus(?:e|ed|es|ing|ive)|"
    r"molest\w*|indecen\w*|assault\w*|paedophil\w*|pedophil\w*|porn\w*|nudes?|naked|explicit|genital\w*|"
    r"penis|vagina\w*|breasts?|masturbat\w*|intercourse|incest\w*|exploit\w*|trafficking|trafficked|"
    r"prostitut\w*|upskirt\w*|voyeur\w*|exposure|underage|under-age|predator\w*|offender\w*|csam|csa|"
    r"consent\w*|victims?|perpetrators?|touching|touched|inappropriate\w*)\b",
    re.I,
)
_NEUTRAL_WORD = "conduct"
#: Mild words a bag-of-words scorer over-weights in criticism of decisions and institutions ("a stupid
#: decision", "bloody hell"); the pattern layer still catches them aimed at a person ("you're pathetic").
_MILD_VOCABULARY = re.compile(
    r"\b(?:stupid|pathetic|ridiculous|absurd|idiotic|moronic|disgrace(?:ful)?|shameful|shambles|bloody|damn(?:ed)?|"
    r"hell|crap|crappy|rubbish|sucks|incompetent|useless|clueless|farce|joke|laughable|insane|mad|crazy|"
    r"dumb|dumbest|stupidest|embarrassing|sick|sickening|vile|disgusting|outrageous|appalling|awful|"
    # violent events are discussed factually in these threads (inquests, shootings); the pattern layer
    # judges threats and incitement, the bag of words would flag the vocabulary alone
    r"kill|kills|killed|killing|killer|die|dies|died|dying|dead|death|deaths|murder\w*|shoot|shoots|shot|"
    r"shooting|stab\w*|hate|hated|hates|shut|shuts|destroy\w*|attack\w*|rot|burn|burned|burnt)\b",
    re.I,
)
_QUOTE = re.compile(
    r"\"[^\"\n]{1,300}\"|\u201c[^\u201d\n]{1,300}\u201d|(?<![\w])'(?=\S)(?:[^'\n]|(?<=\w)'(?=\w)){2,300}(?<=\S)'(?![\w])"
)
_REPORTING = re.compile(
    r"\b(?:said|says|saying|called|calling|wrote|writes|written|told|tells|texted|texting|messaged|messages?|"
    r"quoted?|quotes|quoting|reports?|reported|transcript|recording|shouted|screamed|yelled|posted|replied|sent|according|described|reads?|words|headline|"
    r"allegedly|claimed|claims|asked|accused|chanted|comments?|tweeted|emailed|email|letter|note)\b",
    re.I,
)


def normalise(text: str) -> str:
    """Straight apostrophes and single spaces; case is kept (patterns ignore it)."""
    return re.sub(r"[ \t]+", " ", text.translate(_APOSTROPHES))


def mask_attributed_quotes(text: str) -> str:
    """Replace quotations with ``"quote"`` when the message attributes them to someone (said, texted...)."""
    quotes = list(_QUOTE.finditer(text))
    if not quotes:
        return text
    outside = _QUOTE.sub(" ", text)
    if not _REPORTING.search(outside):
        return text
    return _QUOTE.sub('"quote"', text)


_SELF_DEPRECATION = re.compile(
    r"\b(?:i'?m|i\s+am|i\s+was|i\s+feel\s+like|call\s+me)\s+(?:such\s+|a\s+bit\s+of\s+|an?\s+|a\s+complete\s+|"
    r"an\s+absolute\s+|a\s+total\s+)+(?:idiot|muppet|moron|numpty|plonker|fool|clown|div|pillock|dumbass|twit)\b",
    re.I,
)


def neutralise(text: str, *, mild: bool = False) -> str:
    """The text a statistical scorer should see: attributed quotes masked, offence vocabulary neutral.

    ``mild`` also neutralises mild criticism words, for the bag-of-words fallback scorer.
    """
    out = _OFFENCE_VOCABULARY.sub(_NEUTRAL_WORD, mask_attributed_quotes(normalise(text)))
    out = _SELF_DEPRECATION.sub("I was wrong", out)
    return _MILD_VOCABULARY.sub("poor", out) if mild else out


_FIRST_PERSON_COPULA = re.compile(r"\b(?:i\s+(?:was|am)|i'm|we\s+(?:were|are)|we're)\b", re.I)


def pattern_hits(text: str) -> list[PatternHit]:
    """Threat, incitement and insult patterns found in ``text`` (attributed quotations are ignored)."""
    body = mask_attributed_quotes(normalise(text))
    about_others = _FIRST_PERSON_COPULA.sub("myselfwas", body)  # "I was an idiot" names nobody else
    hits: list[PatternHit] = []
    for label, patterns, score in (("threat", _THREATS, 0.9), ("incitement", _INCITEMENT, 0.9),
                                   ("incitement", _INCITEMENT_R7, 0.9), ("threat", _THREATS_R7, 0.9),
                                   ("identity_attack", _IDENTITY, 0.8),
                                   ("insult", _INSULTS, 0.8), ("insult", _INSULTS_3P, 0.8),
                                   ("insult", _INSULTS_R7, 0.8), ("insult", _DISMISSALS, 0.8)):
        if any(hit.label == label for hit in hits):
            continue
        for pattern, reason in patterns:
            text = about_others if patterns is _INSULTS_3P else body
            if _unreported(pattern, text) if patterns is _IDENTITY else pattern.search(text):
                hits.append(PatternHit(label, reason, score))
                break
    if not any(hit.label == "incitement" for hit in hits) and _deserves_harm(body):
        hits.append(PatternHit("incitement", "incitement: says someone deserves violence or suffering", 0.9))
    return hits
