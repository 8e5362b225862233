"""Writes corpus.tsv: sentences in a UK forum register, each a positive of one identifying-detail kind or a hard
negative of one kind of harmless talk. Every template and filler here was written for this corpus (none is
copied from a test thread). Fixed seed: the same file every run. ``python tests/data/identity/build_corpus.py``.

Columns: label (kind, or ``none:<category>`` for a negative), source (the template family, for
leave-one-source-out), group (the template the sentence came from: out-of-fold folds never split a template),
text.
"""

from __future__ import annotations

import random
from pathlib import Path

SEED = 20261206
OUT = Path(__file__).with_name("corpus.tsv")

PEOPLE = [("she", "her", "her"), ("he", "his", "him")]
NOUNS_F = ["the girl", "the complainant", "the lass", "the young woman", "the victim", "the witness", "the mum"]
NOUNS_M = ["the boy", "the lad", "the young lad", "the witness", "the victim", "the kid", "the son"]
STREETS = ["Mill Lane", "Castle Street", "Beech Grove", "Albion Terrace", "Kingsway", "Orchard Close",
           "Station Road", "Harbour View", "Cemetery Road", "Tanner's Row", "Long Meadow", "Victoria Parade"]
VILLAGES = ["Edgeworth", "Lowick", "Brampton Magna", "Stainby", "Kelloe", "Marston Vale", "Hollinwood",
            "Nether Poppleton", "Whitmore", "Craigend", "Pennyfold", "Ashby Mill"]
SHOPS = ["the chippy", "the Spar", "the Co-op", "the bookies", "the launderette", "the Londis", "the garage",
         "the Greggs", "the vape shop", "the barbers", "the chemist", "the Costa"]
LANDMARKS = ["the war memorial", "the level crossing", "the old chapel", "the roundabout with the anchor",
             "the rec", "the canal bridge", "the cattle grid", "the big oak", "the bus depot", "the water tower"]
COLOURS = ["red", "blue", "green", "yellow", "white", "black", "grey", "purple", "orange", "silver"]
CARS = ["Corsa", "Fiesta", "Transit", "Land Rover", "Golf", "Mini", "Qashqai", "Berlingo", "Polo", "camper van",
        "pickup", "Clio"]
CAR_FEATURES = ["a dent in the passenger door", "a Baby on Board sign", "a roof box", "tinted back windows",
                "a football club sticker", "a cracked windscreen", "a taxi plate", "a tow bar and a bike rack",
                "go-faster stripes", "a Keep Calm sticker", "one alloy missing", "a dog guard in the boot"]
JOBS = ["a carer", "a dinner lady", "a hairdresser", "a bus driver", "a nurse", "a postie", "a receptionist",
        "a cleaner", "a barmaid", "a mechanic", "a teaching assistant", "a plasterer", "a lollipop lady",
        "a vet nurse", "a butcher", "a delivery driver"]
WORKPLACES = ["the big Tesco", "the care home on the hill", "the nail bar by the station", "the garden centre",
              "the Wetherspoons in town", "the cattery out past the tip", "the call centre at the business park",
              "the dentist's on the high street", "the leisure centre", "the sorting office", "the bakery by the market",
              "the petrol station on the bypass", "the warehouse at junction 6", "the Indian on the corner"]
SCHOOLS = ["St Aidan's", "the grammar", "Brookfield Academy", "the Catholic primary", "the high school",
           "Fernhill Juniors", "the sixth form college", "the tech college", "Westgate Community School",
           "the special school out at the airfield"]
COURSES = ["nursing", "law", "sports science", "vet med", "hair and beauty", "engineering", "drama",
           "midwifery", "criminology", "computing"]
UNIS = ["the uni in town", "Northbrook uni", "the college on the ring road", "the Open University campus",
        "Lancashire Met", "the art college"]
YEARS = ["year 7", "year 8", "year 9", "year 10", "year 11", "year 6", "year 12", "first year", "second year"]
RELS = ["mum", "dad", "nan", "grandad", "sister", "brother", "uncle", "auntie", "stepdad", "cousin",
        "older brother", "twin"]
CLUBS = ["the Saturday parkrun", "the under-14s", "the cadets", "the boxing gym", "the swimming club",
         "the Sunday league team", "the dance school", "the brass band", "the karate class", "the youth club",
         "the rugby juniors", "the church choir"]
DAYS = ["every Tuesday", "on Thursday nights", "every Saturday morning", "most evenings", "before school",
        "at weekends", "every morning at half seven", "on Sundays", "after work", "every lunchtime"]
HAIR = ["bright pink hair", "a shaved head", "a long blonde plait", "dreadlocks", "ginger curls",
        "a blue streak in her fringe", "a buzz cut", "a high ponytail", "a mullet", "bleached hair"]
LOOKS = ["a tattoo of a swallow on the neck", "a nose ring", "a brace", "a limp", "glasses with thick frames",
         "a scar through one eyebrow", "a big birthmark on the cheek", "a hearing aid", "crutches",
         "a wheelchair", "freckles all over", "a lip piercing"]
CLOTHES = ["a yellow raincoat", "a Man United top", "a camo jacket", "a pink puffer", "a green blazer",
           "the same grey hoodie", "a fluorescent work vest", "a leopard print coat", "a bobble hat with a pompom"]
HOUSES = ["the house with the blue door", "the end terrace with the trampoline", "the bungalow with the gnomes",
          "the flat above the chippy", "the semi with the caravan on the drive", "the cottage by the ford",
          "the one with the boarded window", "the corner house with the England flag",
          "the yellow house next to the pub", "the farmhouse with the red gate", "the static caravan at the end",
          "the top flat in the tower block"]
PLATFORMS = ["TikTok", "Insta", "Facebook", "Snapchat", "Twitter", "YouTube", "Twitch", "Strava"]
ONLINE_TOPICS = ["makeup tutorials", "photos of her horse", "gym selfies", "fishing videos", "nail art",
                 "Fortnite clips", "dance videos", "pictures of the dog", "cake decorating", "car meets"]
PHOTO_PLACES = ["at the prom", "on the beach at the carnival", "in the school play", "with the trophy",
                "outside the house", "in his football kit", "at the wedding", "holding the new baby",
                "in her uniform", "at the bonfire"]

# ---- positives -----------------------------------------------------------------------------------------

POS: dict[str, list[tuple[str, str]]] = {
    "home": [
        ("plain", "{S} lives in {house} on {street}"),
        ("plain", "{S} lives at the far end of {street}, {house}"),
        ("chat", "its {house}, {S} moved in there last spring"),
        ("chat", "{Sc}'s in {house} just past {landmark} in {village}"),
        ("plain", "{P} place is the flat above {shop} on {street}"),
        ("chat", "police searched {house} on {street}, that's where {S} lives"),
        ("chat", "the coppers raided {P} mum's house on {street} last week, everyone saw"),
        ("plain", "{S} still lives with {P} {rel} near {landmark} in {village}"),
        ("chat", "you can see {P} bedroom window from {landmark}"),
        ("chat", "{Sc} lives two doors down from {shop} on {street}"),
        ("reply", "number 14 I think, the one with the skip outside, that's {P} house"),
        ("reply", "{P} family moved to {house} after it all kicked off"),
        ("plain", "{S} lodges with a family on {street} in {village}"),
        ("chat", "{Sc} and {P} mum are in {house}, you cant miss it"),
        ("reply", "{S} lives right opposite {shop} in {village}, the house with the hanging baskets"),
    ],
    "routine": [
        ("plain", "{S} waits at the bus stop by {landmark} {day}"),
        ("chat", "{S} gets the 7.40 from {village} {day}, always front seat upstairs"),
        ("chat", "{Sc} walks the dog along {street} {day}"),
        ("plain", "{S} goes to {club} {day}"),
        ("chat", "you'll see {O} at {shop} {day}, regular as clockwork"),
        ("reply", "{Sc} does {club} {day} so {S}'ll be easy to spot"),
        ("chat", "{S} jogs round {landmark} {day} with earphones in"),
        ("plain", "{P} {rel} drops {O} at {landmark} {day}"),
        ("chat", "{S} cycles past {shop} {day} on the way to work"),
        ("reply", "{S} sits in {shop} {day} on {P} own"),
        ("chat", "same time {day} {S} is outside {shop} waiting for {P} lift"),
        ("plain", "{Sc} catches the last train back to {village} {day}"),
        ("chat", "{Sc} hangs about by {landmark} after school with {P} mates"),
        ("reply", "if you want {O}, {S}'s at {club} {day}"),
    ],
    "school": [
        ("plain", "{S} is in {year} at {school}"),
        ("chat", "{S} goes to {school} in {village}, {year}"),
        ("chat", "{Sc}'s doing {course} at {uni}, {year}"),
        ("plain", "{S} studies {course} at {uni}"),
        ("reply", "{P} tutor group is the one in {year} at {school}"),
        ("chat", "{S} wears the {colour} blazer, thats {school}"),
        ("plain", "{S} just started {year} at {school}"),
        ("chat", "{Sc}'s the only one on the {course} course at {uni} from {village}"),
        ("reply", "{S} was in my daughter's class at {school}, {year} now"),
        ("chat", "{S} gets picked up from {school} by {P} {rel}"),
        ("plain", "{S} is a {course} student at {uni} and lives in halls"),
    ],
    "workplace": [
        ("plain", "{S} works at {workplace}"),
        ("chat", "{S} does weekends at {workplace} on the tills"),
        ("chat", "{Sc}'s {job} at {workplace}"),
        ("reply", "you'll find {O} behind the counter at {workplace}"),
        ("plain", "{S} got a job at {workplace} after college"),
        ("chat", "{Sc} works nights at {workplace}, {S} starts at ten"),
        ("reply", "ask for {O} at {workplace}, {S}'s on reception"),
        ("chat", "{S} used to do {P} shifts at {shop} but moved to {workplace}"),
        ("plain", "{S} is {job} in {village}, everyone knows {O} there"),
    ],
    "relative": [
        ("plain", "{P} {rel} is {job} at {workplace}"),
        ("chat", "{P} {rel} runs {shop} in {village}"),
        ("chat", "{P} {rel} drives the number 12 bus through {village}"),
        ("reply", "{P} {rel} coaches {club}, big bloke with a beard"),
        ("plain", "{P} {rel} works at {workplace}"),
        ("chat", "{P} {rel} is the landlord of the pub by {landmark}"),
        ("chat", "{P} {rel} is {job} in {village}, been there donkeys years"),
        ("reply", "{P} {rel} has the burger van at {landmark}"),
        ("plain", "{P} {rel} and {P} {rel2} both work at {workplace}"),
        ("chat", "{P} {rel} plays darts for the team at the pub on {street}"),
    ],
    "appearance": [
        ("plain", "{S} has {hair} and {look}"),
        ("chat", "{S}'s the one with {hair}, always in {clothes}"),
        ("chat", "you cant miss {O}, {look} and {hair}"),
        ("reply", "{Sc}'s the tall one with {look}"),
        ("plain", "{S} has {look}, you'd know {O} anywhere"),
        ("chat", "short with {hair}, {S} always wears {clothes}"),
        ("reply", "the little one with {look} who's always in {clothes}"),
        ("chat", "{Sc}'s got {hair} now, dyed it after the trial started"),
    ],
    "vehicle": [
        ("plain", "{S} drives a {colour} {car} with {feature}"),
        ("chat", "{P} {colour} {car} is always parked outside {shop}"),
        ("chat", "look for the {colour} {car} with {feature}, thats {P}"),
        ("reply", "{Sc} drives the {colour} {car}, {feature}"),
        ("plain", "{P} {rel} picks {O} up in a {colour} {car} with {feature}"),
        ("chat", "{S} rides a {colour} moped with {feature}"),
        ("reply", "{P} bike's the {colour} BMX chained up by {landmark}"),
    ],
    "online": [
        ("plain", "{P} {platform} is all {topic}"),
        ("chat", "{S} posts {topic} on {platform}, easy to find"),
        ("chat", "just search {platform} for {topic} from {village}, {P} account comes up first"),
        ("reply", "{P} {platform} name is the dogs name with 99 after it"),
        ("plain", "{S} has a {platform} with thousands of followers doing {topic}"),
        ("chat", "{P} {platform} isn't even private, {P} whole life's on there"),
        ("reply", "{S} streams on {platform} most nights, {topic}"),
    ],
    "photo": [
        ("plain", "there's a photo of {O} {photo} on {P} {rel}'s Facebook"),
        ("chat", "someone's put a picture of {O} {photo} on the village group"),
        ("chat", "I've got a photo of {O} {photo}, will post it later"),
        ("reply", "the local paper ran a picture of {O} {photo} last year"),
        ("plain", "{P} {rel} posted a video of {O} {photo}"),
        ("chat", "{P} face is in the team photo {photo} on the club website"),
        ("reply", "screenshot of {P} profile pic attached, {photo}"),
    ],
}

# ---- hard negatives ------------------------------------------------------------------------------------

NEG: dict[str, list[tuple[str, str]]] = {
    "public_fact": [
        ("plain", "the trial is at the crown court in {village} and starts on Monday"),
        ("plain", "the girl was 14 at the time, that was in the paper"),
        ("chat", "{forcec} say a teenager from the estate was arrested"),
        ("plain", "he's charged with two counts of sexual assault and one of voyeurism"),
        ("chat", "the complainant is in {P} twenties according to the BBC"),
        ("plain", "the offences are said to have happened in {village} between 2019 and 2021"),
        ("reply", "a 15 year old boy from the town is a witness, thats all thats been reported"),
        ("chat", "the victim is a woman in her thirties, reporting restrictions apply"),
        ("plain", "the hearing was adjourned until next month at the magistrates"),
        ("chat", "the jury is seven women and five men"),
    ],
    "own_life": [
        ("plain", "my son goes to a school near there and they've had an assembly about it"),
        ("chat", "I live on {street} myself and it's normally dead quiet"),
        ("chat", "my mum is {job} at {workplace}, she says the staff are gutted"),
        ("reply", "I drive a {colour} {car} so don't go blaming me lol"),
        ("plain", "I get the bus past {landmark} {day} and never saw anything"),
        ("chat", "my daughter is in {year} and she's been asking questions"),
        ("chat", "I work at {workplace} and we've been told not to talk to press"),
        ("reply", "I did {course} at {uni} years ago, nothing like this then"),
        ("plain", "my brother drives the bus through {village}, says the place is full of reporters"),
        ("chat", "I've got {hair} too, does that make me a suspect"),
        ("reply", "we moved away from {village} when I was a kid"),
        ("chat", "my own photos from the carnival are on my facebook if anyone wants them"),
    ],
    "case_talk": [
        ("plain", "this case has split the whole village down the middle"),
        ("chat", "I just hope {S} gets justice after all this"),
        ("chat", "{Sc} must be terrified having to give evidence"),
        ("reply", "whatever happened, {S} deserves to be left in peace"),
        ("plain", "the evidence sounds strong from what was reported today"),
        ("chat", "{Sc} was really brave to come forward"),
        ("chat", "I hope {S} has good people around {O} right now"),
        ("reply", "{Sc} didnt ask for any of this"),
        ("plain", "it must be awful for the family waiting for the verdict"),
        ("chat", "I feel for {O}, the cross examination sounded brutal"),
        ("reply", "{S} said in evidence {S} was scared, that was in the report"),
        ("chat", "imagine being {P} age and going through this"),
    ],
    "legal_process": [
        ("plain", "complainants in sexual offence cases get lifelong anonymity under the 1992 Act"),
        ("chat", "special measures mean {S} can give evidence from behind a screen"),
        ("plain", "a section 45 order stops anyone naming the child or saying what school they go to"),
        ("reply", "the judge can clear the public gallery while the child gives evidence"),
        ("plain", "sentencing guidelines put this in category 2A, so a few years minimum"),
        ("chat", "the defence will cross examine {O} on the messages"),
        ("reply", "bad character evidence is a big deal, they'll argue about it without the jury"),
        ("plain", "contempt of court can mean prison, even for a facebook post"),
        ("chat", "the trial could be moved to another court if there's too much publicity"),
        ("reply", "{S} can give evidence by video link from another building"),
    ],
    "hypothetical": [
        ("plain", "if someone posted where {S} lives they could be prosecuted"),
        ("chat", "imagine if the papers printed {P} school, it would be chaos"),
        ("reply", "even saying what street {S} lives on would be enough to identify {O}"),
        ("plain", "a detail like a car or a job can be enough to identify someone in a small town"),
        ("chat", "what if someone recognises {O} from the court sketches"),
        ("reply", "if you describe {P} house people will work it out, so don't"),
    ],
    "institution": [
        ("plain", "{forcec} have been useless from day one"),
        ("chat", "the CPS took two years to charge, that's a disgrace"),
        ("reply", "the school should have spotted it years ago, the head needs to go"),
        ("plain", "social services failed that family again and again"),
        ("chat", "the council knew about complaints and did nothing"),
        ("reply", "the court backlog means victims wait years, the system is broken"),
        ("chat", "the club's safeguarding officer has a lot to answer for"),
    ],
    "accused_public": [
        ("plain", "the court heard {acc} ran the business from his yard in {village}"),
        ("chat", "{acc} has been remanded in custody at the prison"),
        ("reply", "{acc} used to drive a taxi, that was said in court"),
        ("plain", "{acc}, 52, of {street}, {village}, denies all the charges"),
        ("chat", "the defendant's barrister said {acc} had no previous convictions"),
        ("reply", "{acc} is on bail and has to live at an address in another county"),
    ],
    "moderation": [
        ("plain", "please don't post where {S} lives or works, the thread will be locked"),
        ("chat", "mods, someone just described {P} house, can you remove it"),
        ("reply", "Don't post anything about {P} school or family, it's against the law"),
        ("plain", "reminder: no names, no streets, no schools, no photos of the people involved"),
        ("chat", "reported that post for giving away {P} workplace"),
        ("reply", "take that down now, you cant say what car {S} drives"),
        ("plain", "posts that describe the witness or {P} relatives will be deleted"),
    ],
    "question": [
        ("plain", "does anyone know when the verdict is expected"),
        ("chat", "is the trial open to the public or not"),
        ("reply", "why would anyone need to know where {S} lives"),
        ("plain", "how long do these trials usually last"),
        ("chat", "has the judge said anything about the press"),
        ("reply", "what does it matter what school {S} goes to"),
        ("chat", "is {S} giving evidence today or tomorrow"),
    ],
}

FORCES = ["Cleveland Police", "the Met", "West Mercia Police", "Police Scotland", "Dyfed-Powys Police",
          "Kent Police", "the police"]
ACCUSED = ["Pollard", "Kinsella", "Dunmore", "Hickling", "Marchbank", "Oyelaran", "Sutcliffe", "Venn"]
REACTIONS = ["", "", "", " tbh", " apparently", " btw", " fyi", ", everyone knows", " if you must know", " lol"]


def fill(template: str, rnd: random.Random) -> str:
    s, p, o = rnd.choice(PEOPLE)
    values = {
        "S": s, "P": p, "O": o, "Sc": s.capitalize(), "street": rnd.choice(STREETS), "village": rnd.choice(VILLAGES),
        "shop": rnd.choice(SHOPS), "landmark": rnd.choice(LANDMARKS), "colour": rnd.choice(COLOURS),
        "car": rnd.choice(CARS), "feature": rnd.choice(CAR_FEATURES), "job": rnd.choice(JOBS),
        "workplace": rnd.choice(WORKPLACES), "school": rnd.choice(SCHOOLS), "course": rnd.choice(COURSES),
        "uni": rnd.choice(UNIS), "year": rnd.choice(YEARS), "rel": rnd.choice(RELS), "rel2": rnd.choice(RELS),
        "club": rnd.choice(CLUBS), "day": rnd.choice(DAYS), "hair": rnd.choice(HAIR), "look": rnd.choice(LOOKS),
        "clothes": rnd.choice(CLOTHES), "house": rnd.choice(HOUSES), "platform": rnd.choice(PLATFORMS),
        "topic": rnd.choice(ONLINE_TOPICS), "photo": rnd.choice(PHOTO_PLACES), "forcec": rnd.choice(FORCES),
        "acc": rnd.choice(ACCUSED),
    }
    text = template.format(**values)
    # a party noun in place of the pronoun now and then ("the girl lives ..."), so both forms are seen
    if rnd.random() < 0.3 and text.startswith(s + " "):
        nouns = NOUNS_F if s == "she" else NOUNS_M
        text = rnd.choice(nouns) + text[len(s):]
    return text + rnd.choice(REACTIONS)


def build(per_template: int = 9) -> list[tuple[str, str, str, str]]:
    rnd = random.Random(SEED)
    rows: list[tuple[str, str, str, str]] = []
    seen: set[str] = set()
    for table, prefix in ((POS, ""), (NEG, "none:")):
        for kind, templates in table.items():
            for number, (source, template) in enumerate(templates):
                n = per_template if prefix == "" else per_template + 3
                for _ in range(n * 3):
                    if n == 0:
                        break
                    text = fill(template, rnd)
                    if text.lower() in seen:
                        continue
                    seen.add(text.lower())
                    rows.append((prefix + kind, source, f"{kind}-{number}", text))
                    n -= 1
    return rows


HAND = Path(__file__).with_name("hand.tsv")
# wave 8 (idcorpus8): a second set of hand-written lines, its own source so the first set held out stays comparable
HAND8 = Path(__file__).with_name("hand8.tsv")
# wave 9 (idcorpus9): vehicles and routines said with a pronoun or an adult party's noun, photo identity statements,
# adults' looks, compound-label nouns; hard negatives of public facts (the court, the force, the accused's club and
# family speaking to the press), the accused's own car and photo, own-life look-alikes
HAND9 = Path(__file__).with_name("hand9.tsv")


def hand(path: Path = HAND, source: str = "hand") -> list[tuple[str, str, str, str]]:
    """Hand-written sentences (a TSV of label, text), one group each (``<source>-<n>``), under ``source``."""
    lines = path.read_text(encoding="utf-8").splitlines()[1:]
    return [(label, source, f"{source}-{i}", text) for i, (label, text) in
            enumerate(line.split("\t", 1) for line in lines if line.strip())]


def main() -> None:
    rows = build() + hand() + hand(HAND8, "hand8") + hand(HAND9, "hand9")
    OUT.write_text("label\tsource\tgroup\ttext\n" + "".join("\t".join(r) + "\n" for r in rows), encoding="utf-8")
    print(f"{len(rows)} sentences -> {OUT}")


if __name__ == "__main__":
    main()
