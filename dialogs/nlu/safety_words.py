"""The words the safety screen reasons with, as folded lemmas (simplemma's dictionary forms, no å/ä/ö).

Each set names a concept, not a spelling: "brinner", "brann" and "brunnit" all reach ``brinna``, so a set
holds one entry per word, and the screen (``dialogs.nlu.safety``) decides from the combination of
concepts, the tense and who is concerned. Multi-word concepts are lemma sequences.
"""

from __future__ import annotations

# Harm that can be happening now: violence, weapons, fire, a body in danger. Not "laga" (folded "låga" is also
# "repair": "gatubelysningen är lagad") nor "vaga" ("vågar inte gå på toaletten").
DANGER = frozenset("""
    sla slass slagsmal misshandla misshandel sparka knivhugga hugga knivskara skjuta skottlossning skott
    hota knivhota knivhotad vapen kniv pistol gevar yxa machete batong slagtra rana ran brinna brand eld
    branna elda tanda rok explosion explodera bomb attackera attack jaga strypa kvava valdta valdtakt
    blod bloda medvetslos svimma overdos overdosera krampa kniv forfolja misshandlad gisslan inbrott
    bryta krossa skada skadad dod do andas anda skrika
    avsvimmad kollapsa kollaps kramp krampanfall allergisk chock andningsstillestand livlos vakna
    drunkna isen vak rok ryka lagor lagorna brinnande brandbomb molotov gaslukt
    jarnror tillhygge knogjarn basebolltra slagtra spruta skjutvapen revolver kulsprutepistol hagelgevar
    nedslagen nedslag omringa paka pakord pakora kidnappa fortrycka bevapnad bevapna pepparspray targas
    skottlossning skjutning
    fire knife gun weapon fight attack bleed bleeding unconscious burn burning stab shoot shooting
    breathing collapsed flames smoke
""".split())
# Situations that are dangerous as a whole: a body not responding, a break-in, an accident, an armed person.
DANGER_PHRASES = (
    ("rora", "sig", "inte"), ("andas", "inte"), ("anda", "inte"), ("vakna", "inte"), ("svara", "inte"),
    ("klattra", "in"), ("bryta", "sig", "in"), ("ta", "sig", "in"), ("kora", "av", "vagen"), ("kora", "in", "i"),
    ("ha", "kniv"), ("ha", "en", "kniv"), ("ha", "vapen"), ("ha", "ett", "vapen"), ("ha", "pistol"),
    ("ha", "en", "pistol"), ("bar", "kniv"), ("lockdown",), ("olycka",), ("krock",), ("krocka",),
    ("not", "breathing"), ("not", "moving"), ("has", "a", "knife"), ("has", "a", "gun"),
    ("blir", "slagen"), ("blir", "misshandlad"),  # happening: "blev slagen" is told afterwards
    # throwing at people, now: "de kastar sten på oss!" ("kastade sten genom fönstret" is damage for the log)
    *((verb, thing, at, whom) for verb in ("kastar", "slanger") for thing in ("sten", "stenar", "flaskor", "saker")
      for at in ("pa", "mot") for whom in ("oss", "mig", "folk", "personalen", "eleverna", "barnen", "polisen")),
)

# Danger words that only count with an ongoing cue: they are common in ordinary log entries.
WEAK_DANGER = frozenset("hota bryta krossa skada skrika inbrott andas anda jaga do vapen kniv spruta rok eld elda"
                        .split())

# Something is going on or about to happen.
ONGOING = frozenset("""
    nu pagaende paga akut fortfarande direkt genast omedelbart hjalp snabbt fort hitta lage
    right now happening help hurry
""".split())
ONGOING_PHRASES = (
    ("just", "nu"), ("precis", "nu"), ("i", "detta", "nu"), ("halla", "pa"), ("hålla", "pa"), ("sta", "och"),
    ("ligga", "och"), ("sitta", "och"), ("vara", "pa", "vag"), ("vara", "har"), ("vara", "kvar"),
    ("kom", "fort"), ("komma", "fort"), ("komma", "snabbt"), ("skicka", "polis"), ("skicka", "ambulans"),
    ("skicka", "hjalp"), ("ring", "112"), ("ringa", "112"), ("i", "detta", "ogonblick"), ("vad", "gora", "nu"),
    ("hålla", "på"), ("ringde", "precis"), ("ringt", "precis"), ("har", "precis"), ("hande", "precis"),
    ("sag", "precis"), ("precis", "ringt"), ("precis", "ringde"),
)
# Someone is about to hurt themselves: acute even when told as a plan.
SUICIDE = (("ta", "liv"), ("ta", "livet"), ("ta", "sitt", "liv"), ("sjalvmord",), ("hanga", "sig"),
           ("hoppa", "fran"), ("tanka", "hoppa"), ("gora", "slut", "pa", "allt"), ("inte", "vilja", "leva"),
           ("vilja", "inte", "leva"), ("vilja", "do"), ("skara", "sig"), ("kill", "themselves"),
           ("kill", "herself"), ("kill", "himself"), ("suicide",), ("end", "it"))

# The message is about a habit, a pattern, a hypothetical or a process: not an acute event.
HABITUAL = frozenset("""
    bruka ofta ibland varje aterkommande regelbundet alltid standigt vanligt vanligtvis oftare okad oka
    ganger monster trend statistik antal
""".split())
GENERIC = frozenset("""
    rutin rutiner utbildning ovning brandovning plan handlingsplan forebygga forebyggande atgard atgardsplan
    lagesbild statistik policy information informationsmote workshop kurs seminarium forelasning
""".split())
QUESTION_WORDS = frozenset("hur vad vilken vilka vilket varfor finns när nar".split())

# People, one of whom may be the subject of a concern.
CHILD = frozenset("""
    elev barn ungdom tjej kille flicka pojke tonaring unge grabb tos dotter son syskon bror syster
    kompis klasskompis skolkamrat elevs barns minderarig
    pupil student child kid girl boy teenager
""".split())
ADULT = frozenset("""
    kvinna man person individ mamma pappa foralder styvpappa styvmamma brukare klient patient
    granne vuxen
    woman person
""".split())
FAMILY = frozenset("""
    pappa mamma foralder styvpappa styvmamma styvforalder vardnadshavare familj bror syster storebror lillebror
    storasyster lillasyster morbror farbror moster faster morfar farfar mormor farmor pojkvan flickvan
    sambo make maka partner
    father mother dad mum mom parent stepfather family brother
""".split())
HOME = frozenset("hemma hem hemmet hemifran hemmiljo home familj".split())
SINGULAR_DETERMINERS = frozenset("en ett min mitt hans hennes hens var vart denna detta den det samma sin sitt".split())
PLURAL_DETERMINERS = frozenset("""
    flera manga nagra alla tva tre fyra fem sex sju atta nio tio ett_antal de dessa vara mina dina
    hans_kompisar grupp gang
""".split())
PRONOUNS = frozenset("han hon hen honom henne hans hennes hens he she him her".split())

# What happens to a person that social services must hear about.
WELFARE = frozenset("""
    misshandla sla slagen hota vald vnr overgrepp utnyttja utnyttjad exploatera grooming groom nakenbild
    sexuell sexuellt tafsa valdta valdtakt forsumma vanvarda vanvard hungrig svalta sjalvskada
    sjalvskadebeteende sjalvmord sjalvmordstanke forsvinna forsvunnen saknad saknas rymma rymt
    hemlos tvangsgifte tvangsgifta hedersrelaterad heder kontrollera bortgifte rekrytera
    springpojke kurir missbruk missbruka dricka berusad full knarka drog blamarke skada
    radd mobba krank kranka rana ran knivhota tvinga isolera ata atstorning
    abuse abused neglect neglected beaten hit runaway missing selfharm
""".split())
# Phrases for the same, as lemma sequences.
WELFARE_PHRASES = (
    ("fara", "illa"), ("far", "illa"), ("ma", "dalig"), ("ma", "daligt"), ("ha", "det", "jobbig"),
    ("ha", "det", "svar"), ("ha", "det", "tuff"), ("skara", "sig"), ("skada", "sig"), ("ta", "liv"),
    ("inte", "vaga", "ga", "hem"), ("vaga", "inte", "ga", "hem"), ("inte", "komma", "hem"),
    ("inte", "kommit", "hem"), ("radd", "for", "pappa"), ("radd", "for", "mamma"), ("fa", "inte", "mat"),
    ("inte", "fa", "mat"), ("sova", "ute"), ("ensam", "hemma"), ("vill", "do"), ("vilja", "do"),
    ("orka", "inte", "leva"), ("bli", "slagen"), ("bli", "sla"), ("langa", "at"), ("salja", "at"),
    ("forvara", "at"), ("kasta", "ut"), ("kastat", "ut"), ("kastats", "ut"),  # thrown out, not a stone
)
# The writer worries, suspects, was told, or asks what to do.
CONCERN = frozenset("""
    orolig oro oroa misstanka misstanke befara ana tro verka berätta beratta anfortro avsloja saga
    worried worry concerned suspect told
""".split())
CONCERN_PHRASES = (
    ("vad", "gora", "jag"), ("vad", "ska", "jag"), ("hur", "gora", "jag"), ("vem", "kontakta"),
    ("vem", "ringa"), ("vad", "göra"), ("hur", "ska", "jag"), ("vad", "bor", "jag"), ("what", "should", "i"),
)
REPORT = frozenset("orosanmalan orosanmala orosanmalningar".split())
REPORT_PHRASES = (("anmala", "oro"), ("gora", "en", "anmalan", "till", "soc"), ("anmala", "till", "soc"),
                  ("anmala", "till", "socialtjanst"), ("kontakta", "soc"), ("ringa", "soc"))

# Things, not people: a broken window is damage for the log, even when someone kicked it.
PROPERTY = frozenset("""
    sonder trasig trasiga ruta rutan rutor fonster fonstret dorr dorren vagg vaggen lampa lampor skap skapet
    toalett toaletten klotter klottra skadegorelse vandalisera vandalism tags tagga buss bussen busskur bil bilen
    cykel cykeln moped container papperskorg soptunna inventarie dator datorn
""".split())

# Being hurt in a public place or at school: for one child this may need the question, not the log.
VICTIM = frozenset("hota mobba krank kranka sla rana misshandla knivhota trakassera jaga utsatt".split())
