"""The texts of the two demo courses, until the kurs/ packages replace them (issue 7)."""

from __future__ import annotations

IT_I_HVERDAGEN = {
    "slug": "it-i-hverdagen",
    "title": "IT i hverdagen",
    "summary": (
        "For ledere på alle nivåer: IT som strategisk verktøy og som hjelp i hverdagen. "
        "Hva du som leder må vite for å ta gode digitale valg i din enhet."
    ),
    "description": """\
Digitalisering er ikke et IT-prosjekt, men en del av lederjobben. Kurset gir deg et felles
språk med IT-tjenesten og de andre lederne i kommunen, og verktøy du kan bruke i din egen
enhet fra dagen etter.

Kurset består av **fire moduler** du leser i ditt eget tempo, og en **samling på en halv
dag** der vi jobber med eksempler fra deltakernes egne enheter. Kurset er obligatorisk for
alle ledere i Trondheim kommune innen tolv måneder etter at du ble leder.

Etter kurset skal du kunne

- forklare hvordan digitale løsninger støtter målene for enheten din,
- beskrive hvilke gevinster et tiltak skal gi, og hvem som har ansvar for å hente dem ut,
- stille de riktige spørsmålene om informasjonssikkerhet og personvern,
- vite når og hvordan du tar med IT-tjenesten når enheten vil kjøpe eller ta i bruk noe nytt.
""",
    "audiences": ["toppleder", "mellomleder", "forstelinjeleder"],
    "validity_months": 36,
    "modules": [
        ("Digital strategi og lederens rolle", 20, """\
## Hvorfor dette er din oppgave

Kommunestyret har bedt om at strategisk IT-utvikling skal vurderes *på alle nivåer*. Det
betyr at spørsmålet «hvordan kan vi løse dette bedre med digitale verktøy?» hører hjemme i
ledermøtet ditt, ikke bare hos IT-tjenesten.

Som leder eier du målene og arbeidsprosessene i enheten. IT-tjenesten eier den tekniske
plattformen. Gode løsninger krever begge deler: IT-tjenesten kan ikke vite hvilke oppgaver
som tar mest tid hos dere, og du kan ikke vite hvilke systemer som allerede finnes og kan
brukes.

## Tre spørsmål å stille i enheten

1. **Hvilke oppgaver gjentar vi oftest?** Rutinepregede oppgaver med mye manuell
   registrering er de beste kandidatene for digital støtte.
2. **Hvor oppstår feil eller ventetid?** Dobbeltregistrering, papirskjema og e-post som
   blir liggende, er tegn på at en prosess kan forbedres.
3. **Hva trenger innbyggerne våre?** Digitale tjenester skal gjøre det enklere for dem, ikke
   bare for oss.

## Digitalisering er endringsledelse

Et nytt system endrer hvordan folk jobber. Sett av tid til opplæring, involver de ansatte
tidlig, og vær tydelig på hvorfor endringen gjøres. Erfaringen fra kommunale prosjekter er
at teknologien sjelden er det vanskeligste.

## Les mer

- Digdirs veileder *Prosjektveiviseren* (prosjektveiviseren.digdir.no) beskriver hvordan
  offentlige digitaliseringsprosjekter planlegges og styres.
- *Digitaliseringsstrategien for offentlig sektor* beskriver de nasjonale målene som
  kommunens egne planer bygger på.
"""),
        ("Gevinstrealisering i egen enhet", 25, """\
## Hva er en gevinst?

En gevinst er en **positiv effekt** av et tiltak som noen faktisk merker: kortere
saksbehandlingstid, færre feil, frigjort tid som brukes på brukerne, eller bedre kvalitet i
tjenesten. Gevinster kommer ikke av seg selv når et system er installert; de må planlegges
og hentes ut.

## Fra tiltak til gevinst

DFØ (Direktoratet for forvaltning og økonomistyring) anbefaler å tenke i en kjede:

> tiltak → endring i arbeidsprosess → effekt → gevinst

Et nytt fagsystem (tiltaket) gjør at saksbehandlerne slipper å registrere det samme to
ganger (endringen). Da går hver sak raskere (effekten), og enheten kan behandle flere saker
med samme bemanning eller korte ned ventetiden (gevinsten).

## Gevinstrealiseringsplanen

For hvert tiltak bør enheten ha en enkel plan som svarer på:

| Spørsmål | Eksempel |
|---|---|
| Hvilken gevinst? | 20 % kortere behandlingstid for søknader |
| Hvordan måles den? | Tid fra mottak til vedtak i fagsystemet |
| Hva er nullpunktet? | Gjennomsnitt siste 12 måneder |
| Hvem er ansvarlig? | Lederen for enheten – ikke prosjektlederen |
| Når skal den være hentet ut? | Seks måneder etter innføring |

Legg merke til ansvaret: **det er linjelederen som henter ut gevinsten**, fordi det er i
linjen arbeidet faktisk endres. Prosjektet leverer forutsetningene.

## Les mer

DFØ har veiledere og maler for gevinstrealisering på dfo.no. Kommunens egen mal finner du i
den virtuelle verktøykassen.
"""),
        ("Informasjonssikkerhet og personvern for ledere", 25, """\
## Lederens ansvar

Informasjonssikkerhet er et **lederansvar**. Du skal ikke konfigurere brannmurer, men du
skal vite hvilke opplysninger enheten behandler, hvem som har tilgang til dem, og hva som
skjer hvis noe går galt.

## Fire grunnprinsipper

Nasjonal sikkerhetsmyndighet (NSM) har laget *Grunnprinsipper for IKT-sikkerhet*. De er
ordnet i fire kategorier som også gir mening for en leder:

1. **Identifisere og kartlegge** – vit hvilke systemer og opplysninger enheten har, og
   hvor kritiske de er.
2. **Beskytte og opprettholde** – gi tilgang etter behov, hold programvare oppdatert, og
   sørg for at ansatte får opplæring.
3. **Oppdage** – følg med på uvanlige hendelser, og sørg for at de blir meldt.
4. **Håndtere og gjenopprette** – ha en plan for hva dere gjør når noe går galt, og øv på
   den.

## Personvern

Behandler enheten personopplysninger, gjelder personvernforordningen (GDPR). For en leder
betyr det blant annet:

- Dere skal bare samle inn de opplysningene dere trenger til formålet (dataminimering).
- Før dere tar i bruk et nytt system som behandler personopplysninger, skal det vurderes om
  det trengs en **vurdering av personvernkonsekvenser** (DPIA).
- Avvik, for eksempel en e-post med personopplysninger sendt til feil mottaker, skal meldes
  i kommunens avvikssystem. Alvorlige brudd skal meldes til Datatilsynet innen 72 timer.

## Les mer

- NSMs grunnprinsipper for IKT-sikkerhet: nsm.no
- Datatilsynets veiledere for virksomheter: datatilsynet.no
"""),
        ("Kjøpe og ta i bruk IT-systemer sammen med IT-tjenesten", 20, """\
## Ta med IT-tjenesten fra starten

Når enheten vil kjøpe utstyr eller programvare som skal kobles til kommunens
administrative nett (TK-nett) eller elevnettet, **skal en representant fra IT-tjenesten
delta**. IT-tjenesten sikrer at løsningen passer inn i kommunens tekniske plattform, at den
kan driftes og oppdateres, og at kommunens metodeverktøy brukes.

Det lønner seg å ta kontakt tidlig: Et system som er kjøpt inn før IT-tjenesten er spurt,
kan vise seg å ikke fungere med innloggingen, arkivet eller nettverket – og da blir det
dyrt.

## Slik går du fram

1. **Beskriv behovet**, ikke løsningen. Hva skal bli bedre, og for hvem?
2. **Kontakt IT-tjenesten** via brukerstøtte og be om en IT-representant til prosjektet.
3. **Bruk malene** i den virtuelle verktøykassen: prosjektplan, gevinstrealiseringsplan,
   kost/nytte-vurdering og risikoanalyse.
4. **Følg anskaffelsesreglene.** Innkjøpsavdelingen hjelper med terskelverdier og
   konkurranse.
5. **Planlegg innføringen**: opplæring, overgang fra gammel løsning, og hvem som
   forvalter systemet etterpå.

## Prosjektet i registeret

Alle IT-prosjekter i kommunen registreres med prosjektleder, eier og kontaktinformasjon, slik
at andre enheter kan se hva som er på gang og lære av hverandre.

## Les mer

Digdirs *Prosjektveiviseren* har egne råd for anskaffelser i digitaliseringsprosjekter, og
anskaffelser.no har veiledning om offentlige anskaffelser.
"""),
    ],
}

PROSJEKTLEDERSAMLING = {
    "slug": "prosjektledersamling",
    "title": "Prosjektledersamling",
    "summary": (
        "To dager for IT-prosjektledere og prosjekteiere: felles metode for planlegging, "
        "gevinstrealisering, kost/nytte og risikoanalyse – og et nettverk å spørre."
    ),
    "description": """\
Alle som leder eller eier et IT-prosjekt i kommunen, skal ha den samme opplæringen og bruke
den samme metoden. På samlingen går vi gjennom hvordan IT-prosjekter planlegges og
gjennomføres, og vi bruker malene i den virtuelle verktøykassen på deltakernes egne
prosjekter.

Samlingen bygger på Digdirs *Prosjektveiviseren*, DFØs veiledning om gevinstrealisering og
samfunnsøkonomiske analyser, og NSMs grunnprinsipper for IKT-sikkerhet.

Ta med et prosjekt du jobber med, gjerne med prosjektplanen. Like viktig som det faglige er
**nettverket**: du møter andre prosjektledere som har stått i de samme valgene.
""",
    "audiences": ["project_leader"],
    "validity_months": None,
}

#: (day 0 or 1, start "HH:MM", end "HH:MM", title, speaker, mandatory)
SEMINAR_PROGRAMME = [
    (0, "09:00", "09:30", "Velkommen, og hvorfor felles metode", "Ola Strand, IT-tjenesten",
     True),
    (0, "09:30", "11:30", "Prosjektplanlegging med Prosjektveiviseren",
     "Kari Rønning, prosjektkontoret", True),
    (0, "12:15", "14:30", "Gevinstrealisering: fra mål til målt gevinst",
     "Hanne Moen, økonomi", True),
    (0, "14:45", "15:30", "Erfaringsdeling i grupper", None, False),
    (1, "09:00", "11:30", "Kost/nytte: samfunnsøkonomisk analyse i praksis",
     "Trond Lie, Finans", True),
    (1, "12:15", "14:30", "Risikoanalyse og informasjonssikkerhet",
     "Espen Solberg, IT-sikkerhet", True),
    (1, "14:45", "15:30", "Den virtuelle verktøykassen, og veien videre",
     "Ola Strand, IT-tjenesten", True),
]
