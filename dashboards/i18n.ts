/** Every text of the dashboards, in English and Danish. Metric titles come from the catalog. */
import type { Direction, View } from '../metrics/types.js';
import { formatDate } from './format.js';
import type { Rule, Status } from './data/pchart.js';
import type { Locale } from './types.js';

/** A value said in a sentence as text (null: hidden by small-cell suppression), and how it moved from the year before. */
export interface SaidChange {
  value: string | null;
  dir: 'up' | 'down' | 'same';
}
export interface SaidValue {
  value: string | null;
  /** The year before, when it has a row. */
  before?: SaidChange;
}
/** One hospital's year: the share of its DRG value that paid for readmissions, and its readmission rate. */
export interface ValueSentence {
  year: string;
  partial: boolean;
  hospital: string;
  share: SaidValue;
  /** Absent when the hospital has no readmission rate that year. */
  rate?: SaidValue;
}

const en = {
  lang: 'en',
  siteTitle: 'Activity and outcomes',
  nav: { overview: 'Overview', funnels: 'Funnel plots', control: 'Control charts', help: 'How to read the charts', hospitals: 'Hospitals', metrics: 'Metrics' },
  skip: 'Skip to content',
  noscript: 'The interactive charts need JavaScript. A static image of every chart is linked under it.',
  showTable: 'Show as table',
  svgLink: 'Static image (SVG)',
  loading: 'Loading chart…',
  footer: (cutoff: string, runDate: string) => `Data up to ${cutoff}. Built ${runDate}. Aggregated figures only; no patient-level data.`,
  smallNumbers: (k: number) =>
    `Small numbers are hidden to protect privacy: a count from 1 to ${k - 1} is not shown, nor any figure it could be worked out from. Hidden cells show no mark and read "hidden" in the tables.`,
  allHospitals: 'All hospitals',
  wholeHospital: 'Whole hospital',
  hospital: 'Hospital',
  department: 'Department',
  year: 'Year',
  period: 'Period',
  month: 'Month',
  metric: 'Metric',
  activityMetric: 'Activity metric',
  outcomeMetric: 'Outcome metric',
  numerator: 'Numerator',
  denominator: 'Denominator',
  value: 'Value',
  change: 'Change',
  yearBefore: 'Year before',
  thisYear: 'This year',
  hidden: 'hidden (small numbers)',
  partial: 'not complete',
  yearOption: (year: string, previous: string, partial: boolean) => `${year} vs ${previous}${partial ? ' (not complete)' : ''}`,
  views: { activity: 'What the old accounts rewarded', outcome: 'What patients got' } as Record<View, string>,
  viewLong: {
    activity: 'Activity view: what activity-based financing paid for',
    outcome: 'Outcome view: what patients experience',
  } as Record<View, string>,
  directions: {
    higher_is_better: 'higher is better',
    lower_is_better: 'lower is better',
    neutral: 'neither higher nor lower is better in itself',
  } as Record<Direction, string>,
  overview: {
    h1: (year: string, previous: string) => `Activity and outcomes: ${year} compared with ${previous}`,
    noPair: 'The data does not yet hold two calendar years to compare.',
    intro:
      'Activity-based accounts reward how much a hospital does. Patients care about what happens to them. Each row below is a hospital: the left half shows how what the old accounts rewarded changed, the right half how what patients got changed. Look for rows where the two halves tell different stories.',
    matrixTitle: 'Change from one year to the next, per hospital',
    matrixDesc:
      'Each cell is the change in one metric for one hospital between the chosen year and the year before. Left half (activity): green means more, purple less. Right half (outcomes): blue means better for patients, orange worse. The stronger the colour, the larger the change. An empty cell has no data or hidden small numbers.',
    keyActivity: 'Activity: less / more',
    keyOutcome: 'Outcomes: worse / better for patients',
    quadTitle: 'Did more activity bring better outcomes?',
    quadDesc:
      'Each point is a hospital. Across: the change in the chosen activity metric. Up: the change in the chosen outcome metric, turned so that up is always better for patients. Points at the lower right did more and got worse results.',
    quadX: 'Change in activity',
    quadY: 'Change in outcome (up = better for patients)',
    quadrants: ['More activity, better outcomes', 'More activity, worse outcomes', 'Less activity, better outcomes', 'Less activity, worse outcomes'] as [string, string, string, string],
    differH: 'Where the two views tell different stories',
    differItem: (unit: string, activity: string, outcomes: string) => `${unit}: ${activity}, while ${outcomes}`,
    worse: (metric: string, text: string) => `${metric} got worse (${text})`,
    better: (metric: string, text: string) => `${metric} got better (${text})`,
    differNone: 'No hospital had activity moving one way by 5% or more while a rate outcome moved the other way by more than chance explains.',
    differNote: 'Listed: activity changes of 5% or more, with outcome rates whose change is unlikely to be chance (beyond the 99.8% limits of a two-proportion test). Other changes between two years may be noise; the control charts show month by month.',
    trendsActivity: 'Activity per month',
    trendsOutcome: 'Outcomes per month',
    trendsDesc: 'Monthly values for the chosen hospital, or all hospitals together. Each small chart has its own scale; gaps are hidden small numbers.',
    hospitalsH: 'Hospital pages',
    metricsH: 'Metric definitions',
  },
  funnels: {
    h1: 'Funnel plots',
    intro:
      'Each point is a hospital at its volume (across) and its rate (up). The lines show how far a rate strays from the overall rate by chance alone: when nothing but chance is at work, 95% of points fall inside the dashed lines and 99.8% inside the solid lines. A point outside the solid lines is unlikely to be chance and is named. Hospitals are not ranked: inside the limits, a higher or lower point is not better or worse.',
    deptIntro:
      'Each point is a department, around the hospital’s overall rate. Departments treat different patients, so a department outside the limits differs from the hospital average; that can be case mix, and is a prompt to look, not a verdict.',
    title: (metric: string) => `${metric}: rate against volume`,
    desc: (metric: string) =>
      `Funnel plot of ${metric} for the chosen year. Centre line: the overall rate. Dashed lines: 95% limits. Solid lines: 99.8% limits. Points outside the 99.8% limits are named.`,
    x: 'Volume (denominator)',
    y: 'Rate',
    centre: 'Overall rate',
    bands: {
      within: 'inside the 95% limits',
      beyond95: 'outside the 95% limits',
      beyond998: 'outside the 99.8% limits',
    } as Record<string, string>,
    sides: { better: 'better', worse: 'worse', higher: 'higher', lower: 'lower' } as Record<string, string>,
    position: 'Position',
  },
  control: {
    h1: 'Control charts',
    intro:
      'A control chart separates noise from real change. Each point is one month’s rate. The centre line is the average of the first 12 months shown (the baseline); the limits, three standard deviations either side, show the range chance alone explains. A signal is marked when a point falls outside the limits, when 8 or more points in a row lie on one side of the centre line, or when 6 points in a row each rise or each fall. Blue marks improvement, orange deterioration, grey is noise (common-cause variation). A signal is a prompt to look, not an alarm.',
    summaryH: 'Reading of the latest month',
    summaryNote: 'The reading of each chart’s latest shown month, in the manner of NHS England’s “Making Data Count”.',
    title: (metric: string) => `${metric}: monthly rate (p-chart)`,
    desc: (metric: string) =>
      `p-chart of ${metric} for the chosen unit: monthly rate with centre line and 3-sigma limits from the unit’s own first 12 months (shaded). Signals are triangles pointing the way the rate moved, blue where that is an improvement and orange where it is a deterioration; grey circles are noise.`,
    centre: 'Centre line',
    upper: 'Upper limit',
    lower: 'Lower limit',
    baseline: 'Baseline',
    signal: 'Reading',
    rule: 'Rule',
    latest: 'Latest month',
    status: {
      no_signal: 'no signal',
      improving: 'improving',
      deteriorating: 'deteriorating',
      higher: 'higher (special cause)',
      lower: 'lower (special cause)',
      too_few: 'too few months to judge',
    } as Record<Status, string>,
    classes: {
      common: 'common cause (noise)',
      improving: 'special cause: improving',
      deteriorating: 'special cause: deteriorating',
      higher: 'special cause: higher',
      lower: 'special cause: lower',
    } as Record<string, string>,
    rules: {
      outside: 'a point outside the limits',
      shift: '8 or more in a row on one side of the centre line',
      trend: '6 in a row rising or falling',
    } as Record<Rule, string>,
  },
  hospitalPage: {
    matrixTitle: 'Change from one year to the next, per department',
    matrixDesc:
      'Each cell is the change in one metric for one department between the chosen year and the year before. Left half (activity): green more, purple less. Right half (outcomes): blue better for patients, orange worse. Hospital-level metrics have a value for the whole hospital only.',
    funnelH: 'Departments against the hospital’s rate',
    controlH: 'Control charts',
    controlNote: 'Choose a department above; the trip metrics exist for the whole hospital only.',
    losTitle: 'Length of stay: median and 90th percentile',
    losDesc: 'Median and 90th percentile of the length of stay, in days, of the stays discharged each month, for the chosen department.',
    daohTitle: 'Days alive and out of hospital',
    daohDesc: 'Mean number of the 30 days from admission that patients spent alive and out of hospital, by month of admission, for the chosen department. Higher is better.',
    tripsTitle: 'Trips per patient and treatments per trip',
    tripsDesc:
      'Whole hospital: how many separate days patients came for outpatient care, per patient, and how many treatments each trip covered. Fewer trips and more treatments per trip mean better coordinated care.',
    noDepartments: 'This hospital reports no departments.',
  },
  readmissionValue: {
    h: 'What the old accounts paid for failure',
    intro:
      'Under activity-based payment a readmission earns the hospital a second DRG, so a hospital with more readmissions looks more productive. Each sentence says how much of a hospital’s DRG value paid for unplanned readmissions within 30 days, beside its 30-day readmission rate.',
    sentence: (s: ValueSentence) => {
      const change = (c: SaidChange) => (c.value === null ? ' (the year before: hidden, small numbers)' : `, ${{ up: 'up from', down: 'down from', same: 'unchanged from' }[c.dir]} ${c.value}`);
      const year = s.partial ? `${s.year} (not complete)` : s.year;
      const share =
        s.share.value === null
          ? `In ${year}, the share of ${s.hospital}'s DRG value that paid for unplanned readmissions within 30 days is hidden (small numbers)`
          : `In ${year}, ${s.share.value} of ${s.hospital}'s DRG value paid for unplanned readmissions within 30 days${s.share.before ? change(s.share.before) : ''}`;
      const rate = !s.rate
        ? ''
        : s.rate.value === null
          ? '; its 30-day readmission rate is hidden (small numbers)'
          : `; its 30-day readmission rate was ${s.rate.value}${s.rate.before ? change(s.rate.before) : ''}`;
      return `${share}${rate}.`;
    },
  },
  metricPage: {
    definition: 'Definition',
    view: 'View',
    numerator: 'Numerator',
    denominator: 'Denominator',
    exclusions: 'Left out (counted by reason)',
    unit: 'Unit',
    direction: 'Direction',
    grain: 'Published for',
    version: 'Version',
    docs: 'Full rules in the project documentation',
    howTo: 'How to read the charts',
    trendTitle: (metric: string) => `${metric} per month`,
    trendDesc: (metric: string) =>
      `${metric} per month. Grey lines: every hospital. Blue: the chosen hospital. Black: all hospitals together. Gaps are hidden small numbers.`,
    yearsH: (metric: string) => `${metric} per year`,
    none: 'none',
  },
};

export type Strings = typeof en;

const da: Strings = {
  lang: 'da',
  siteTitle: 'Aktivitet og resultater',
  nav: { overview: 'Overblik', funnels: 'Tragtdiagrammer', control: 'Kontroldiagrammer', help: 'Sådan læses diagrammerne', hospitals: 'Hospitaler', metrics: 'Indikatorer' },
  skip: 'Gå til indholdet',
  noscript: 'De interaktive diagrammer kræver JavaScript. Et statisk billede af hvert diagram er linket under det.',
  showTable: 'Vis som tabel',
  svgLink: 'Statisk billede (SVG)',
  loading: 'Indlæser diagram…',
  footer: (cutoff: string, runDate: string) =>
    `Data til og med ${formatDate(cutoff, 'da')}. Dannet ${formatDate(runDate, 'da')}. Kun samlede tal; ingen data om enkelte patienter.`,
  smallNumbers: (k: number) =>
    `Små tal er skjult af hensyn til fortroligheden: et antal fra 1 til ${k - 1} vises ikke, og heller ikke tal, det kan regnes ud fra. Skjulte celler har intet mærke og står som "skjult" i tabellerne.`,
  allHospitals: 'Alle hospitaler',
  wholeHospital: 'Hele hospitalet',
  hospital: 'Hospital',
  department: 'Afdeling',
  year: 'År',
  period: 'Periode',
  month: 'Måned',
  metric: 'Indikator',
  activityMetric: 'Aktivitetsindikator',
  outcomeMetric: 'Resultatindikator',
  numerator: 'Tæller',
  denominator: 'Nævner',
  value: 'Værdi',
  change: 'Ændring',
  yearBefore: 'Året før',
  thisYear: 'Dette år',
  hidden: 'skjult (små tal)',
  partial: 'ikke afsluttet',
  yearOption: (year: string, previous: string, partial: boolean) => `${year} mod ${previous}${partial ? ' (ikke afsluttet)' : ''}`,
  views: { activity: 'Hvad de gamle regnskaber belønnede', outcome: 'Hvad patienterne fik' },
  viewLong: {
    activity: 'Aktivitetsbilledet: hvad takststyringen betalte for',
    outcome: 'Resultatbilledet: hvad patienterne oplever',
  },
  directions: {
    higher_is_better: 'højere er bedre',
    lower_is_better: 'lavere er bedre',
    neutral: 'hverken højere eller lavere er bedre i sig selv',
  },
  overview: {
    h1: (year: string, previous: string) => `Aktivitet og resultater: ${year} sammenlignet med ${previous}`,
    noPair: 'Data rummer endnu ikke to kalenderår at sammenligne.',
    intro:
      'Takststyringen belønner, hvor meget et hospital laver. Patienterne går op i, hvad der sker med dem. Hver række nedenfor er et hospital: venstre halvdel viser, hvordan det, de gamle regnskaber belønnede, ændrede sig, højre halvdel, hvordan det, patienterne fik, ændrede sig. Kig efter rækker, hvor de to halvdele fortæller forskellige historier.',
    matrixTitle: 'Ændring fra det ene år til det næste, pr. hospital',
    matrixDesc:
      'Hver celle er ændringen i én indikator for ét hospital mellem det valgte år og året før. Venstre halvdel (aktivitet): grøn betyder mere, lilla mindre. Højre halvdel (resultater): blå betyder bedre for patienterne, orange værre. Jo stærkere farve, jo større ændring. En tom celle har ingen data eller skjulte små tal.',
    keyActivity: 'Aktivitet: mindre / mere',
    keyOutcome: 'Resultater: værre / bedre for patienterne',
    quadTitle: 'Gav mere aktivitet bedre resultater?',
    quadDesc:
      'Hvert punkt er et hospital. Vandret: ændringen i den valgte aktivitetsindikator. Lodret: ændringen i den valgte resultatindikator, vendt så op altid er bedre for patienterne. Punkter nederst til højre lavede mere og fik dårligere resultater.',
    quadX: 'Ændring i aktivitet',
    quadY: 'Ændring i resultat (op = bedre for patienterne)',
    quadrants: ['Mere aktivitet, bedre resultater', 'Mere aktivitet, dårligere resultater', 'Mindre aktivitet, bedre resultater', 'Mindre aktivitet, dårligere resultater'],
    differH: 'Hvor de to billeder fortæller forskellige historier',
    differItem: (unit: string, activity: string, outcomes: string) => `${unit}: ${activity}, mens ${outcomes}`,
    worse: (metric: string, text: string) => `${metric} blev dårligere (${text})`,
    better: (metric: string, text: string) => `${metric} blev bedre (${text})`,
    differNone: 'Intet hospital havde aktivitet, der flyttede sig 5 % eller mere én vej, mens en resultatandel flyttede sig den anden vej mere end tilfældet forklarer.',
    differNote: 'Med her: aktivitetsændringer på 5 % eller mere sammen med resultatandele, hvis ændring næppe skyldes tilfældigheder (uden for 99,8 %-grænserne i en test af to andele). Andre ændringer mellem to år kan være tilfældige; kontroldiagrammerne viser udviklingen måned for måned.',
    trendsActivity: 'Aktivitet pr. måned',
    trendsOutcome: 'Resultater pr. måned',
    trendsDesc: 'Månedlige værdier for det valgte hospital eller alle hospitaler samlet. Hvert lille diagram har sin egen skala; huller er skjulte små tal.',
    hospitalsH: 'Hospitalssider',
    metricsH: 'Definitioner af indikatorerne',
  },
  funnels: {
    h1: 'Tragtdiagrammer',
    intro:
      'Hvert punkt er et hospital ved dets volumen (vandret) og dets andel (lodret). Linjerne viser, hvor langt en andel kan afvige fra den samlede andel af ren tilfældighed: når kun tilfældet virker, ligger 95 % af punkterne inden for de stiplede linjer og 99,8 % inden for de fuldt optrukne. Et punkt uden for de fuldt optrukne linjer skyldes næppe tilfældigheder og er navngivet. Hospitalerne rangordnes ikke: inden for grænserne er et højere eller lavere punkt hverken bedre eller værre.',
    deptIntro:
      'Hvert punkt er en afdeling, omkring hospitalets samlede andel. Afdelinger behandler forskellige patienter, så en afdeling uden for grænserne afviger fra hospitalets gennemsnit; det kan skyldes patientsammensætningen og er en anledning til at se nærmere, ikke en dom.',
    title: (metric: string) => `${metric}: andel mod volumen`,
    desc: (metric: string) =>
      `Tragtdiagram for ${metric} i det valgte år. Midterlinje: den samlede andel. Stiplede linjer: 95 %-grænser. Fuldt optrukne linjer: 99,8 %-grænser. Punkter uden for 99,8 %-grænserne er navngivet.`,
    x: 'Volumen (nævner)',
    y: 'Andel',
    centre: 'Samlet andel',
    bands: {
      within: 'inden for 95 %-grænserne',
      beyond95: 'uden for 95 %-grænserne',
      beyond998: 'uden for 99,8 %-grænserne',
    },
    sides: { better: 'bedre', worse: 'dårligere', higher: 'højere', lower: 'lavere' },
    position: 'Placering',
  },
  control: {
    h1: 'Kontroldiagrammer',
    intro:
      'Et kontroldiagram skiller tilfældig variation fra reel ændring. Hvert punkt er én måneds andel. Midterlinjen er gennemsnittet af de første 12 viste måneder (basisperioden); grænserne, tre standardafvigelser til hver side, viser det spænd, tilfældet alene forklarer. Et signal markeres, når et punkt ligger uden for grænserne, når 8 eller flere punkter i træk ligger på samme side af midterlinjen, eller når 6 punkter i træk hver stiger eller hver falder. Blå markerer forbedring, orange forværring, grå er tilfældig variation. Et signal er en anledning til at se nærmere, ikke en alarm.',
    summaryH: 'Aflæsning af den seneste måned',
    summaryNote: 'Aflæsningen af hvert diagrams seneste viste måned, på samme måde som NHS Englands “Making Data Count”.',
    title: (metric: string) => `${metric}: andel pr. måned (p-kort)`,
    desc: (metric: string) =>
      `p-kort for ${metric} for den valgte enhed: månedlig andel med midterlinje og 3-sigma-grænser fra enhedens egne første 12 måneder (skraveret). Signaler er trekanter, der peger den vej, andelen bevægede sig, blå hvor det er en forbedring og orange hvor det er en forværring; grå cirkler er tilfældig variation.`,
    centre: 'Midterlinje',
    upper: 'Øvre grænse',
    lower: 'Nedre grænse',
    baseline: 'Basisperiode',
    signal: 'Aflæsning',
    rule: 'Regel',
    latest: 'Seneste måned',
    status: {
      no_signal: 'intet signal',
      improving: 'forbedring',
      deteriorating: 'forværring',
      higher: 'højere (særlig årsag)',
      lower: 'lavere (særlig årsag)',
      too_few: 'for få måneder til en vurdering',
    },
    classes: {
      common: 'tilfældig variation',
      improving: 'særlig årsag: forbedring',
      deteriorating: 'særlig årsag: forværring',
      higher: 'særlig årsag: højere',
      lower: 'særlig årsag: lavere',
    },
    rules: {
      outside: 'et punkt uden for grænserne',
      shift: '8 eller flere i træk på samme side af midterlinjen',
      trend: '6 i træk stigende eller faldende',
    },
  },
  hospitalPage: {
    matrixTitle: 'Ændring fra det ene år til det næste, pr. afdeling',
    matrixDesc:
      'Hver celle er ændringen i én indikator for én afdeling mellem det valgte år og året før. Venstre halvdel (aktivitet): grøn mere, lilla mindre. Højre halvdel (resultater): blå bedre for patienterne, orange værre. Indikatorer på hospitalsniveau har kun en værdi for hele hospitalet.',
    funnelH: 'Afdelingerne mod hospitalets andel',
    controlH: 'Kontroldiagrammer',
    controlNote: 'Vælg en afdeling ovenfor; indikatorerne for fremmøder findes kun for hele hospitalet.',
    losTitle: 'Liggetid: median og 90. percentil',
    losDesc: 'Median og 90. percentil af liggetiden i dage for de ophold, der blev afsluttet hver måned, for den valgte afdeling.',
    daohTitle: 'Dage i live og uden for hospital',
    daohDesc: 'Gennemsnitligt antal af de 30 dage fra indlæggelsen, patienterne var i live og uden for hospital, efter indlæggelsesmåned, for den valgte afdeling. Højere er bedre.',
    tripsTitle: 'Fremmøder pr. patient og behandlinger pr. fremmøde',
    tripsDesc:
      'Hele hospitalet: hvor mange forskellige dage patienterne kom til ambulant behandling, pr. patient, og hvor mange behandlinger hvert fremmøde rummede. Færre fremmøder og flere behandlinger pr. fremmøde betyder bedre koordineret behandling.',
    noDepartments: 'Hospitalet indberetter ingen afdelinger.',
  },
  readmissionValue: {
    h: 'Hvad de gamle regnskaber betalte for svigt',
    intro:
      'Under takststyring giver en genindlæggelse hospitalet en DRG-takst mere, så et hospital med flere genindlæggelser ser mere produktivt ud. Hver sætning siger, hvor stor en del af et hospitals DRG-værdi der gik til uplanlagte genindlæggelser inden for 30 dage, ved siden af hospitalets genindlæggelsesfrekvens inden for 30 dage.',
    sentence: (s: ValueSentence) => {
      const change = (c: SaidChange) => (c.value === null ? ' (året før: skjult, små tal)' : `, ${{ up: 'op fra', down: 'ned fra', same: 'uændret fra' }[c.dir]} ${c.value}`);
      const year = s.partial ? `${s.year} (ikke afsluttet)` : s.year;
      const share =
        s.share.value === null
          ? `I ${year} er andelen af ${s.hospital}'s DRG-værdi, der gik til uplanlagte genindlæggelser inden for 30 dage, skjult (små tal)`
          : `I ${year} gik ${s.share.value} af ${s.hospital}'s DRG-værdi til uplanlagte genindlæggelser inden for 30 dage${s.share.before ? change(s.share.before) : ''}`;
      const rate = !s.rate
        ? ''
        : s.rate.value === null
          ? '; hospitalets genindlæggelsesfrekvens inden for 30 dage er skjult (små tal)'
          : `; hospitalets genindlæggelsesfrekvens inden for 30 dage var ${s.rate.value}${s.rate.before ? change(s.rate.before) : ''}`;
      return `${share}${rate}.`;
    },
  },
  metricPage: {
    definition: 'Definition',
    view: 'Billede',
    numerator: 'Tæller',
    denominator: 'Nævner',
    exclusions: 'Udeladt (talt op efter årsag)',
    unit: 'Enhed',
    direction: 'Retning',
    grain: 'Offentliggjort for',
    version: 'Version',
    docs: 'De fulde regler i projektets dokumentation',
    howTo: 'Sådan læses diagrammerne',
    trendTitle: (metric: string) => `${metric} pr. måned`,
    trendDesc: (metric: string) =>
      `${metric} pr. måned. Grå linjer: alle hospitaler. Blå: det valgte hospital. Sort: alle hospitaler samlet. Huller er skjulte små tal.`,
    yearsH: (metric: string) => `${metric} pr. år`,
    none: 'ingen',
  },
};

/** The texts of a locale. */
export function strings(locale: Locale): Strings {
  return locale === 'da' ? da : en;
}

/** d3 number and time locales handed to Vega (charts in the browser and the SVG renderer). */
export function vegaLocale(locale: Locale): { number: Record<string, unknown>; time: Record<string, unknown> } {
  if (locale === 'da') {
    return {
      number: { decimal: ',', thousands: '.', grouping: [3], currency: ['', ' kr.'], percent: '\u00a0%' },
      time: {
        dateTime: '%A den %d %B %Y %X',
        date: '%d.%m.%Y',
        time: '%H:%M:%S',
        periods: ['AM', 'PM'],
        days: ['søndag', 'mandag', 'tirsdag', 'onsdag', 'torsdag', 'fredag', 'lørdag'],
        shortDays: ['søn', 'man', 'tir', 'ons', 'tor', 'fre', 'lør'],
        months: ['januar', 'februar', 'marts', 'april', 'maj', 'juni', 'juli', 'august', 'september', 'oktober', 'november', 'december'],
        shortMonths: ['jan', 'feb', 'mar', 'apr', 'maj', 'jun', 'jul', 'aug', 'sep', 'okt', 'nov', 'dec'],
      },
    };
  }
  return {
    number: { decimal: '.', thousands: ',', grouping: [3], currency: ['£', ''] },
    time: {
      dateTime: '%a %e %b %Y %X',
      date: '%d/%m/%Y',
      time: '%H:%M:%S',
      periods: ['AM', 'PM'],
      days: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'],
      shortDays: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'],
      months: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
      shortMonths: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
    },
  };
}
