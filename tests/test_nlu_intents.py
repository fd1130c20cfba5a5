"""Intents and slots on phrasings written apart from the dev corpus, read at Thursday 26 November 2026 10:00."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dialogs.nlu import understand

NOW = datetime(2026, 11, 26, 10, 0)
INTENTS = {"log_observation", "list_actions", "create_action", "complete_action", "postpone_action",
           "show_situation", "show_promises", "next_meeting", "remind_me", "meeting_brief", "agreement_info",
           "emergency", "individual_case", "help", "unknown", "undo_observation", "delete_observation",
           "correct_observation", "show_observation", "more", "reassign_action", "comment_action", "cancel_action",
           "show_action", "schedule_meeting", "cancel_meeting", "bind_channel", "unbind_channel", "snooze_action",
           "reminder_settings", "list_reminders", "cancel_reminder", "list_observations", "move_meeting", "thanks",
           "whoami", "add_member", "set_admin", "remove_member", "list_members", "unclear_concern",
           "restore_observation", "mark_sensitive", "create_promise", "link_promise", "unlink_promise"}


def day(iso: str) -> dict[str, str]:
    start = datetime.fromisoformat(iso)
    return {"start": start.strftime("%Y-%m-%dT%H:%M"), "end": (start + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")}


@pytest.mark.parametrize("text,intent,slots", [
    ("logga klotter vid Norrgårdsskolan i lördags kväll", "log_observation",
     {"focus_area": "skadegorelse-skola", "place": "Norrgårdsskolan",
      "when": {"start": "2026-11-21T18:00", "end": "2026-11-22T00:00"}}),
    ("rapportera bråk på skolgården idag kl 12.30", "log_observation",
     {"focus_area": "fri-fran-vald", "place": "skolgården",
      "when": {"start": "2026-11-26T12:30", "end": "2026-11-26T12:30"}}),
    ("misshandel utanför Cafe Bryggan natten till söndag", "log_observation",
     {"focus_area": "fri-fran-vald", "place": "Cafe Bryggan"}),
    ("graffitti på Paradisskolan imorse", "log_observation",  # a typo still finds the focus area
     {"focus_area": "skadegorelse-skola", "place": "Paradisskolan"}),
    ("ny händelse: snusförsäljning till unga på Pressbyrån", "log_observation",
     {"focus_area": "andts", "place": "Pressbyrån"}),  # two areas named, the message is clearly about one
    ("ny händelse: alkohol och våld vid Pressbyrån", "log_observation",
     {"focus_area": None, "place": "Pressbyrån"}),  # two areas named and no telling which: ask
    ("logga: det var lugnt vid stationen igår kväll", "log_observation",
     {"focus_area": None, "kind": "iakttagelse"}),  # nothing about any area: ask, do not file under a guess
    ("berusade tonåringar vid stationen i fredags", "log_observation",
     {"focus_area": "andts", "place": "stationen"}),  # no configured word, still plainly ANDTS
    ("unga som hänger vid kiosken varje kväll", "log_observation",
     {"focus_area": "trygga-unga", "kind": "iakttagelse"}),  # a pattern, not one incident
    ("det är klotter på toaletterna igen på Linnéskolan", "log_observation",
     {"place": "Linnéskolan"}),  # the school close after "toaletterna" is where it is
    ("tre unga rånade en jämnårig på mobilen vid Sjöparken igår", "log_observation",
     {"place": "Sjöparken"}),  # a phone is not a place
    ("påmin mej om rapporten", "remind_me", {"text": "rapporten"}),  # typed fast, still a reminder, no time
    ("vem har hand om nattvandringen?", "list_actions", {"about": "nattvandringen"}),  # the title's words
    ("vem är kommunpolis i Älmhult", "who_is", {"role": "kommunpolis"}),
    ("vem är vår samordnare?", "who_is", {"role": "samordnare"}),
    ("vem är jag", "whoami", {}),
    ("gör Olle Polis till administratör", "set_admin", {"admin": True, "name": "Olle Polis"}),
    ("Karin Lund ska inte längre vara admin", "set_admin", {"admin": False, "name": "Karin Lund"}),
    ("ta bort Olle Polis som medlem", "remove_member", {"name": "Olle Polis"}),
    ("vilka är medlemmarna?", "list_members", {}),
    ("vad säger överenskommelsen om skadegörelse i skolmiljö", "agreement_info",
     {"topic": "focus_area", "focus_area": "skadegorelse-skola"}),  # the area named, not the whole agreement
    ("vem leder sspf", "agreement_info", {"topic": "forum", "forum": "sspf"}),
    ("kan du skapa en åtgärd åt mig? kontrollera att skolans larm fungerar, senast måndag", "create_action",
     {"title": "Kontrollera att skolans larm fungerar"}),  # the request, then the action; no "?" in the title
    ("åtgärder om alkohol och våld", "list_actions", {"about": None}),  # focus areas, not words of a title
    ("fotbollsplanen i Liatorp uppriven av mopeder i natt", "log_observation",
     {"place": "fotbollsplanen i Liatorp"}),
    ("log graffiti at Linnéskolan yesterday evening", "log_observation",
     {"focus_area": "skadegorelse-skola", "place": "Linnéskolan"}),
    ("vilka åtgärder är sena", "list_actions", {"status": "overdue"}),
    ("visa mina åtgärder", "list_actions", {"owner": "me"}),
    ("åtgärder som ska vara klara i december", "list_actions",
     {"status": None, "due": {"start": "2026-12-01T00:00", "end": "2027-01-01T00:00"}}),
    ("öppna åtgärder för skadegörelse", "list_actions", {"status": "open", "focus_area": "skadegorelse-skola"}),
    ("show overdue actions", "list_actions", {"status": "overdue"}),
    ("#12 klar", "complete_action", {"ref": "12"}),
    ("#99999999999999999999 klar", "complete_action", {"ref": "99999999999999999999"}),  # answered "finns ingen"
    ("stäng åtgärd 8", "complete_action", {"ref": "8"}),
    ("flytta åtgärd 14 till v. 2", "postpone_action",
     {"ref": "14", "due": {"start": "2027-01-11T00:00", "end": "2027-01-18T00:00"}}),
    ("ny åtgärd: föräldravandring i Diö, ansvarig polisen, senast 20/12", "create_action",
     {"owner": "polis", "due": day("2026-12-20"), "title": "Föräldravandring i Diö"}),
    ("skapa en åtgärd om trygghetsvandring vid stationen till den 15 januari", "create_action",
     {"title": "Trygghetsvandring vid stationen", "due": day("2027-01-15")}),
    ("lägesbild Diö", "show_situation", {"place": "Diö"}),
    ("läget för våld i oktober", "show_situation",
     {"focus_area": "fri-fran-vald", "period": {"start": "2026-10-01T00:00", "end": "2026-11-01T00:00"}}),
    ("hur ser det ut med ANDTS senaste månaden", "show_situation",
     {"focus_area": "andts", "period": {"start": "2026-10-27T00:00", "end": "2026-11-27T00:00"}}),
    ("nästa möte med styrgruppen?", "next_meeting", {"forum": "styrgrupp-barn-unga"}),
    ("when is the next operativa brå", "next_meeting", {"forum": "operativa-bra"}),
    ("dagordning för operativa brå", "meeting_brief", {"forum": "operativa-bra"}),
    ("vilka medborgarlöften har vi", "show_promises", {}),
    ("medborgarlöfte 2", "show_promises", {"promise": "2"}),
    ("hur går det med medborgarlöfte 1?", "show_promises", {"promise": "1"}),
    ("visa löfte nr 3", "show_promises", {"promise": "3"}),  # the promise's number, not action #3
    ("hur går det med medborgarlöftena", "show_promises", {"promise": None}),
    ("nytt medborgarlöfte: Vi ska öka den vuxna närvaron i centrum under helgkvällar", "create_promise",
     {"title": "Vi ska öka den vuxna närvaron i centrum under helgkvällar"}),
    ("lägg till ett medborgarlöfte om att minska klottret vid stationen", "create_promise",
     {"title": "Minska klottret vid stationen"}),
    ("kan du lägga in ett nytt löfte till invånarna? Fler vuxna på torget fredagskvällar", "create_promise",
     {"title": "Fler vuxna på torget fredagskvällar"}),
    ("nytt medborgarlöfte", "create_promise", {"title": None}),  # the bot asks for the words
    ("koppla #12 till medborgarlöfte 1", "link_promise", {"ref": "12", "promise": "1"}),
    ("åtgärd 4 hör till löfte 2", "link_promise", {"ref": "4", "promise": "2"}),
    ("knyt #15 till medborgarlöftet nr 3", "link_promise", {"ref": "15", "promise": "3"}),
    ("koppla #6 till medborgarlöftet", "link_promise", {"ref": "6", "promise": None}),
    ("koppla bort #12 från medborgarlöfte 1", "unlink_promise", {"ref": "12", "promise": "1"}),
    ("#9 ska inte höra till medborgarlöfte 2", "unlink_promise", {"ref": "9", "promise": "2"}),
    ("koppla den här kanalen till sspf", "bind_channel", {"forum": "sspf"}),  # a forum, not a promise
    ("påminn mig om 2 timmar att ringa rektorn", "remind_me",
     {"when": {"start": "2026-11-26T12:00", "end": "2026-11-26T12:00"}, "text": "ringa rektorn"}),
    ("remind me tomorrow at 9 to call the school", "remind_me",
     {"when": {"start": "2026-11-27T09:00", "end": "2026-11-27T09:00"}}),
    ("det är slagsmål utanför skolan just nu", "emergency", {}),
    ("någon har en kniv på skolgården nu", "emergency", {}),
    ("jag är orolig för en elev som heter Kalle", "individual_case", {}),
    ("hur ofta följs överenskommelsen upp", "agreement_info", {"topic": "follow_up"}),
    ("vad är klockan", "unknown", {}),
    ("ångra", "undo_observation", {}),
    ("Ångra det jag just loggade", "undo_observation", {}),
    ("ta bort #O12", "delete_observation", {"ref": "12"}),
    ("radera observation 7", "delete_observation", {"ref": "7"}),
    ("återställ #O11", "restore_observation", {"ref": "11"}),
    ("markera #O12 som känslig", "mark_sensitive", {"ref": "12", "sensitive": True}),
    ("markera #O12 som inte känslig", "mark_sensitive", {"ref": "12", "sensitive": False}),
    ("kan du aterstalla observation 4", "restore_observation", {"ref": "4"}),
    ("Ändra #O12 plats till Diö torg", "correct_observation", {"ref": "12", "change": "plats till Diö torg"}),
    ("rätta #o3: typ till iakttagelse", "correct_observation", {"ref": "3", "change": "typ till iakttagelse"}),
    ("visa #O12", "show_observation", {"ref": "12"}),
    ("#O4", "show_observation", {"ref": "4"}),
    ("vad hände i #O18", "show_observation", {"ref": "18"}),
    ("öppna observation 15", "show_observation", {"ref": "15"}),
    ("vem loggade #O33?", "show_observation", {"ref": "33"}),
    ("#O12 platsen ska vara torget", "correct_observation", {"ref": "12", "change": "platsen ska vara torget"}),
    ("kan du ändra #O12?", "correct_observation", {"ref": "12", "change": None}),
    ("ny åtgärd: se över avtalet med väktarbolaget, kommunen, slutet av februari", "create_action",
     {"due": {"start": "2027-02-21T00:00", "end": "2027-03-01T00:00"}}),
    ("add action: train staff in reporting threats, municipality, end of january", "create_action",
     {"due": {"start": "2027-01-21T00:00", "end": "2027-02-01T00:00"}}),
    ("påminn mig om #6 om två dagar", "snooze_action", {"ref": "6", "until": day("2026-11-28")}),
    ("påminn mig om åtgärd 9 på fredag", "snooze_action", {"ref": "9", "until": day("2026-11-27")}),
    ("ty", "thanks", {}),
    ("tusen tack :)", "thanks", {}),
    ("cheers", "thanks", {}),
    ("obs från helgens nattvandring: ungdomar drack vid utegymmet vid Haganäs", "log_observation",
     {"when": {"start": "2026-11-21T00:00", "end": "2026-11-23T00:00"}}),
    ("under tisdagens rast blev det slagsmål på fotbollsplanen", "log_observation", {"when": day("2026-11-24")}),
    ("hur många klotterfall på Haganässkolan v 46", "show_situation",
     {"place": "Haganässkolan", "period": {"start": "2026-11-09T00:00", "end": "2026-11-16T00:00"}}),
    ("något loggat från Folkets park natten till söndag?", "show_situation", {"place": "Folkets park"}),
    ("log: a group of teenagers gathered at the bus station on Saturday night", "log_observation",
     {"place": "the bus station"}),
    ("tjejer i åk 9 berättar om tafsande och hot i korridorerna", "log_observation", {"place": "korridorerna"}),
    ("fönstren i idrottshallen på Haganäs får stenar kastade mot sig", "log_observation",
     {"place": "idrottshallen på Haganäs"}),
    ("glöm inte att påminna mig på torsdag om att ringa skolkuratorn", "remind_me",
     {"text": "ringa skolkuratorn", "when": day("2026-12-03")}),
    ("ny påminnelse: ring räddningstjänsten om eldningen vid Möckeln, torsdag kl 10", "remind_me",
     {"text": "ring räddningstjänsten om eldningen vid Möckeln"}),
    ("påminnelsen om rektorn är inte aktuell längre, ta bort den", "cancel_reminder", {"text": "rektorn"}),
    ("rektor Maria Linds åtgärder", "list_actions", {"owner": "Maria Lind"}),
    ("Olle Polis åtgärder", "list_actions", {"owner": "Olle Polis"}),
    ("kommer det snö i Eneryda imorgon", "unknown", {}),
    ("är det julmarknad på torget på lördag", "unknown", {}),
    ("vi borde lägga in en åtgärd för att kartlägga var de unga köper alkohol", "create_action",
     {"title": "Kartlägga var de unga köper alkohol", "due": None}),
    ("skapa åtgärd: medborgarlöftesuppföljning med polisen, Olle Polis, 1/2", "create_action",
     {"title": "Medborgarlöftesuppföljning med polisen", "owner": "Olle Polis"}),
    ("ny åtgärd: tobaksfri skoltid – uppföljning, skolan, i feb", "create_action",
     {"title": "Tobaksfri skoltid – uppföljning", "owner": "kommun", "owner_unit": "skolan"}),
    ("lägg till i planen: trygghetsmöte för boende i Paradiset, lokalpolisen, vecka 5", "create_action",
     {"title": "Trygghetsmöte för boende i Paradiset", "owner": "polis"}),
    ("ny åtgärd: enkät till personalen om hot och våld, till mig, i januari", "create_action", {"owner": "me"}),
    ("ny åtg: rondering vid idrottshallen efter matcher, polisen", "create_action",
     {"title": "Rondering vid idrottshallen efter matcher", "owner": "polis"}),
    ("ny åtgärd: polisen ska besöka skolorna i januari", "create_action", {"owner": "polis"}),
    ("ny åtgärd: rensa bort klotter på Linnéskolans gavel, gatukontoret, imorgon", "create_action",
     {"owner": "kommun", "owner_unit": "gatukontoret"}),
    ("vad har inte blivit gjort i tid", "list_actions", {"status": "overdue"}),
    ("vilka åtgärder pågår", "list_actions", {"status": "open"}),
    ("op brå imorgon flyttas till kl 13", "move_meeting",
     {"to": {"start": "2026-11-27T13:00", "end": "2026-11-27T13:00"}}),
    ("sspf-mötet imorgon blir måndag istället", "move_meeting", {"to": day("2026-11-30")}),
    ("good morning", "help", {}),
    ("integritet", "help", {"topic": "privacy"}),
    ("är du en människa?", "help", {"topic": "about"}),
    ("vem kan läsa det jag skriver här", "help", {"topic": "privacy"}),
    ("logga: unga killar som köper alkohol av äldre vid badplatsen", "log_observation",
     {"focus_area": "andts", "place": "badplatsen"}),  # "unga" names who, the alcohol what
    ("#4 - har pratat med rektorerna, två av tre är med", "comment_action",
     {"ref": "4", "text": "har pratat med rektorerna, två av tre är med"}),
    ("uppdatering nr 5: fältarna har bokat lokalen", "comment_action",
     {"ref": "5", "text": "fältarna har bokat lokalen"}),
    ("#4: klart", "complete_action", {"ref": "4"}),
    ("tack, hörs på måndag", "thanks", {}),
    ("have a good one", "thanks", {"goodbye": True}),
    ("super tack", "thanks", {}),
    ("antal snusärenden på Linnéskolan i höstas", "show_situation",
     {"focus_area": "andts", "place": "Linnéskolan", "period": {"start": "2026-09-01T00:00",
                                                               "end": "2026-12-01T00:00"}}),
    ("vilka platser i Diö har mest bråk", "show_situation", {"focus_area": "fri-fran-vald", "place": "Diö"}),
    ("vilken skola har flest klotterfall i år", "show_situation",
     {"focus_area": "skadegorelse-skola", "place": None}),  # asks which school: no filter
    ("sammanfattning: fältarna mötte 30 unga på torget", "log_observation", {"place": "torget"}),
    ("kan du logga att tjejerna i åk 9 snusar mycket på rasterna", "log_observation",
     {"focus_area": "andts", "place": None}),
    ("vaktmästaren blev utskälld när han bad dem gå från skolgården", "log_observation",
     {"place": "skolgården"}),
    ("fight outside the school on Fridays", "log_observation", {"place": "the school"}),
    ("snatteri på apoteket vid torget i fredags", "log_observation",
     {"place": "apoteket vid torget", "when": day("2026-11-20")}),
    ("från APT på Linnéskolan: lärarna ser mer snus bland sjuorna", "log_observation",
     {"kind": "medarbetardialog", "focus_area": "andts", "place": "Linnéskolan"}),
    ("trivselenkäten visar att 30 % av eleverna är otrygga i omklädningsrummen", "log_observation",
     {"kind": "statistik"}),
    ("lugnt vid resecentrum i fredags, inga incidenter", "log_observation",
     {"kind": "iakttagelse", "place": "resecentrum"}),  # how it was, not something that happened
    ("ny åtgärd: utöka vuxenvandringarna i centrum fre och lör kvällar, ansvarig fritidsgården, klart 31/1",
     "create_action", {"due": day("2027-01-31"), "title": "Utöka vuxenvandringarna i centrum fre och lör kvällar"}),
    ("ny åtgärd: nattvandring på fredag, klar senast 15/12", "create_action",
     {"due": day("2026-12-15"), "title": "Nattvandring på fredag"}),
    ("#4 är gjord, vi har haft föräldramötet", "complete_action", {"ref": "4", "text": "vi har haft föräldramötet"}),
    ("#4 - klar", "complete_action", {"ref": "4", "text": None}),
    ("är #4 klar?", "show_action", {"ref": "4"}),  # a question, not a change
    ("påminn mig om två veckor att följa upp #6", "remind_me",
     {"when": day("2026-12-10"), "text": "följa upp #6"}),  # a reminder naming an action, not a snooze
    ("vilka tidsgränser finns i överenskommelsen", "agreement_info", {"topic": "deadlines"}),
    ("vilka deadlines har jag", "list_actions", {"owner": "me"}),
    ("flytta #14 till Olle Polis, jag är ledig i april", "reassign_action",
     {"ref": "14", "owner": "Olle Polis"}),  # the time says why; who follows "till"
    ("flytta åtgärden 14 till socialtjänsten", "reassign_action", {"ref": "14", "owner_unit": "socialtjänsten"}),
    ("fritidsgården får #14", "reassign_action", {"ref": "14", "owner_unit": "fritidsgården"}),
    ("flytta #14 till den 12 januari", "postpone_action", {"ref": "14", "due": day("2027-01-12")}),
    ("lägg upp obrå-agendorna här framöver", "bind_channel", {"forum": "operativa-bra"}),
    ("dela sspf-underlag i den här kanalen", "bind_channel", {"forum": "sspf"}),
    ("vad står på dagordningen för sspf", "meeting_brief", {"forum": "sspf"}),
    ("hur ofta ska vi ta fram en ny lägesbild?", "agreement_info", {"topic": "lagesbild_update"}),
    ("ska lägesbilden tas om vartannat år?", "agreement_info", {"topic": "lagesbild_update"}),
    ("vilken tid stänger biblioteket på lördag", "unknown", {}),  # everyday questions are not a lägesbild
    ("har Coop i Diö öppet på nyårsdagen", "unknown", {}),
    ("när går tåget till Hässleholm ikväll", "unknown", {}),
    ("blir det minusgrader i helgen?", "unknown", {}),
    ("vad står på matsedeln i Elmeskolan nästa vecka", "unknown", {}),
    ("påminn mig på tisdag att boka tolk till mötet", "remind_me", {"text": "boka tolk till mötet"}),
    ("ny åtgärd: se över öppettiderna på fritidsgården, fritid", "create_action", {"owner_unit": "fritid"}),
    ("vad är fortfarande öppet i planen", "list_actions", {"status": "open"}),
    ("lägesbild klotter jmf förra året", "show_situation", {"compare": "previous_year"}),
    ("hur var valborg i centrum jämfört med förra valborg", "show_situation", {"compare": "previous_year"}),
    ("snooza #14 tre veckor", "snooze_action", {"ref": "14", "until": day("2026-12-17")}),  # a span from now
    ("försenade åtgärder som skulle varit klara i september", "list_actions",
     {"status": "overdue", "due": {"start": "2026-09-01T00:00", "end": "2026-10-01T00:00"}}),  # before today
    ("föräldramötet på Diö skola igår: oro för mopedåkning på sommaren", "log_observation",
     {"when": day("2026-11-25")}),  # of two times, the exact one is when it happened
    ("klotter på Elmeskolan i tisdags, tredje gången den här månaden", "log_observation", {"when": day("2026-11-24")}),
    ("hot mot elever i helgen, två stannade hemma idag", "log_observation",
     {"when": {"start": "2026-11-21T00:00", "end": "2026-11-23T00:00"}}),
    ("vad har elevhälsan gjort", "list_actions", {"status": "done", "owner": "kommun", "owner_unit": "elevhälsan"}),
    ("ny åtgärd: genomgång av anmälningarna från hösten, Olle Polis, 4/12", "create_action",
     {"title": "Genomgång av anmälningarna från hösten", "due": day("2026-12-04")}),  # the last field's date
    ("hur använder man boten?", "help", {}),
    ("hej! jag är ny i gruppen", "help", {}),
    ("finns det någon lathund", "help", {}),
    ("vad lagrar boten om mig?", "help", {"topic": "privacy"}),
    ("logga: klotter på tågperrongen i natt", "log_observation", {"focus_area": None}),  # not a school: ask
    ("krossad ruta i busskuren vid Coop igår", "log_observation", {"focus_area": None}),
    ("krossad ruta i matsalen på Linnéskolan igår", "log_observation", {"focus_area": "skadegorelse-skola"}),
    ("sönderslagna skåp i korridoren på Haganäs", "log_observation", {"focus_area": "skadegorelse-skola"}),
    ("ta bort påminnelse #8", "cancel_reminder", {"ref": "8"}),
    ("radera påminnelse tre", "cancel_reminder", {"ref": "3"}),
    ("ta bort den första påminnelsen", "cancel_reminder", {"ref": "1"}),
    ("delete reminder 4", "cancel_reminder", {"ref": "4"}),
    ("flytta styrgruppen från 10/12 till 14/12", "move_meeting",
     {"from": day("2026-12-10"), "to": day("2026-12-14")}),
    ("hur många hot mot personal har rapporterats denna vecka", "show_situation",
     {"compare": None, "period": {"start": "2026-11-23T00:00", "end": "2026-11-30T00:00"}}),
    ("jämför ANDTS i höst med i fjol", "show_situation",
     {"compare": "previous_year", "period": {"start": "2026-09-01T00:00", "end": "2026-12-01T00:00"}}),
    ("ta bort #12", "cancel_action", {"ref": "12"}),  # an action is removed by cancelling it, kept as history
    ("nästa operativa BRÅ är tisdag 8/12 kl 13", "schedule_meeting",
     {"forum": "operativa-bra", "when": {"start": "2026-12-08T13:00", "end": "2026-12-08T13:00"}}),
    ("operativa BRÅ varannan tisdag kl 13", "schedule_meeting",
     {"forum": "operativa-bra", "recurrence": "varannan tisdag kl 13"}),
    ("ställ in operativa BRÅ 22/12", "cancel_meeting",
     {"forum": "operativa-bra", "when": {"start": "2026-12-22T00:00", "end": "2026-12-23T00:00"}}),
    ("koppla den här kanalen till Operativa BRÅ", "bind_channel", {"forum": "operativa-bra"}),
    ("koppla bort", "unbind_channel", {}),
    ("snooza #12 till måndag", "snooze_action",
     {"ref": "12", "until": {"start": "2026-11-30T00:00", "end": "2026-12-01T00:00"}}),
    ("inga påminnelser före kl 9", "reminder_settings", {"not_before": "09:00"}),
    ("stäng av veckosammanfattningen", "reminder_settings", {"digest": False}),
    ("ge #12 till polisen", "reassign_action", {"ref": "12", "owner": "polis"}),
    ("kommentar #12: väntar på belysningen", "comment_action", {"ref": "12", "text": "väntar på belysningen"}),
    ("skjut upp #3 två veckor", "postpone_action", {"ref": "3", "by": {"days": 14}}),
    ("vad blev klart i oktober", "list_actions", {"status": "done"}),
    ("mer", "more", {}),
    # a street keeps its last word, and the landmark it is near
    ("logga mopedbuskörning på Carl Linnés väg vid IKEA museum igår kväll", "log_observation",
     {"place": "Carl Linnés väg vid IKEA museum"}),
    ("logga klotter på Östra allé igår", "log_observation", {"place": "Östra allé"}),
    ("logga bråk vid Stora torget igår kväll", "log_observation", {"place": "Stora torget"}),
    ("logga inbrott på Drottninggatan 5 igår", "log_observation", {"place": "Drottninggatan 5"}),
    ("logga klotter på Kungsgatan 12B igår", "log_observation", {"place": "Kungsgatan 12B"}),
    ("logga bråk på Linnés gränd 3 igår kväll", "log_observation", {"place": "Linnés gränd 3"}),
    ("logga mopedbuskörning längs Ljungbyvägen igår kväll", "log_observation", {"place": "Ljungbyvägen"}),
    ("logga fylla i Haganäsparken vid lekplatsen igår kväll", "log_observation",
     {"place": "Haganäsparken vid lekplatsen"}),
    ("logga langning utanför Ica Maxi på Norregårdsvägen igår", "log_observation",
     {"place": "Ica Maxi på Norregårdsvägen"}),
])
def test_intents_and_slots(text, intent, slots):
    reading = understand(text, NOW)
    assert reading.intent == intent
    for key, value in slots.items():
        assert reading.slots.get(key) == value, key


def test_a_past_incident_is_not_read_as_an_emergency():
    assert understand("hot mot personal på fritidsgården igår kl 21", NOW).intent == "log_observation"


@settings(max_examples=300, deadline=timedelta(milliseconds=500))
@given(st.text(max_size=10_000))
def test_any_text_gets_a_known_intent_without_raising(text):
    assert understand(text, NOW).intent in INTENTS


def test_school_breaks_from_the_configuration_are_read_inside_sentences():
    from dataclasses import replace

    from domain.collaboration import SchoolBreak, load_collaboration

    collaboration = load_collaboration()
    with_sportlov = replace(collaboration, school_breaks=(*collaboration.school_breaks, SchoolBreak("sportlov", 8, 8)))
    reading = understand("vilka åtgärder ska vara klara till sportlovet", NOW, with_sportlov)
    assert reading.slots["due"] == {"start": "2027-02-22T00:00", "end": "2027-03-01T00:00"}
    assert "due" not in understand("vilka åtgärder ska vara klara till sportlovet", NOW, collaboration).slots


def test_an_owner_can_be_a_member_by_name():
    from dataclasses import replace

    from domain.collaboration import Member, load_collaboration

    members = (Member("Anna Berg", "kommun"), Member("Per Lund", "polis"), Member("Per Holm", "polis"))
    collaboration = replace(load_collaboration(), members=members)
    assert understand("visa Annas åtgärder", NOW, collaboration).slots["owner"] == "Anna Berg"
    assert understand("vilka åtgärder har Per Holm", NOW, collaboration).slots["owner"] == "Per Holm"
    assert "owner" not in understand("vilka åtgärder har Per", NOW, collaboration).slots  # two Pers: ask
