/** help.html: how to read the charts, available offline beside them (docs/dashboards.md says the same at length). */
import { READING_GUIDE_DA } from '../docs.js';
import { attr, esc } from '../html.js';
import type { Page } from '../types.js';
import { page } from './layout.js';
import type { Built } from './parts.js';

type Section = { id: string; h: string; ps: string[] };

const EN: Section[] = [
  {
    id: 'views',
    h: 'Two views of the same hospitals',
    ps: [
      'The activity view counts what activity-based financing paid for: admissions, stays, bed-days, outpatient visits, treatments, emergency visits and DRG value. More is not better or worse in itself.',
      'The outcome view shows what patients got: readmissions, mortality after discharge, length of stay, days alive and out of hospital, trips to hospital and emergency returns. Each has a direction: for most, lower is better; for days alive and out of hospital and treatments per trip, higher is better.',
      'The overview puts the change from one year to the next of both views side by side, per hospital. A row with green (more activity) on the left and orange (worse outcomes) on the right is a hospital where the accounts and the patients tell different stories.',
    ],
  },
  {
    id: 'funnel',
    h: 'Reading a funnel plot',
    ps: [
      'Each point is a hospital (or a department) placed at its volume across and its rate up. The horizontal line is the overall rate. The funnel lines mark how far a rate can stray from it by chance alone: small units stray further, so the funnel is wide on the left and narrow on the right.',
      'Dashed lines are 95% limits: about 1 point in 20 falls outside them by chance. Solid lines are 99.8% limits: about 1 in 500. A point outside the solid lines is unlikely to be chance and is worth a closer look; it can still be explained by the patients a unit treats.',
      'Inside the limits, the order of the points means nothing. That is why there is no league table.',
    ],
  },
  {
    id: 'control',
    h: 'Reading a control chart',
    ps: [
      'A control chart (here a p-chart) shows one unit’s monthly rate over time. The centre line is the rate of its first 12 shown months, the baseline (shaded). The dashed limits, three standard deviations either side, wiggle because months with fewer patients vary more.',
      'Points inside the limits with no pattern are common-cause variation: noise. Reacting to them wastes effort. Three patterns are signals of a special cause: a point outside the limits; 8 or more points in a row on one side of the centre line (a shift); 6 points in a row each rising or each falling (a trend).',
      'Signals are triangles pointing the way the rate moved: blue where the change is an improvement, orange where it is a deterioration; grey circles are noise. The words above each chart and in the summary table read the latest month: “no signal”, “improving” or “deteriorating”. This follows NHS England’s “Making Data Count”.',
      'A month whose numbers are hidden breaks a run: nothing is claimed about what cannot be seen.',
    ],
  },
  {
    id: 'hidden',
    h: 'Hidden small numbers',
    ps: [
      'To protect patients’ privacy, a count below the threshold (other than zero) is not shown, nor any figure from which it could be worked out, such as a rate with that count in it, or a second cell that would reveal it by subtraction. Hidden cells have no mark in the charts and read “hidden” in the tables.',
    ],
  },
  {
    id: 'use',
    h: 'Using the pages',
    ps: [
      'Choose the year, hospital, department or metric with the menus above the charts; all charts on the page follow. Hover over or tap a mark to see its numerator, denominator and value. Under each chart, “Show as table” gives the same numbers as a table, and a link gives a static image.',
      'Everything works from a shared drive with no network: the pages load nothing from the internet. They print cleanly, one chart to a block.',
    ],
  },
];

const DA: Section[] = [
  {
    id: 'views',
    h: 'To billeder af de samme hospitaler',
    ps: [
      'Aktivitetsbilledet tæller det, takststyringen betalte for: indlæggelser, indlæggelsesforløb, sengedage, ambulante besøg, ambulante behandlinger, besøg i akutmodtagelsen og DRG-produktionsværdi. Mere er hverken bedre eller værre i sig selv.',
      'Resultatbilledet viser, hvad patienterne fik: genindlæggelser, dødelighed efter udskrivelse, liggetid, dage i live og uden for hospital, fremmøder på hospitalet og nye besøg i akutmodtagelsen. Hver har en retning: for de fleste er lavere bedre; for dage i live og uden for hospital og behandlinger pr. fremmøde er højere bedre.',
      'Overblikket stiller ændringen fra det ene år til det næste i begge billeder side om side, pr. hospital. En række med grønt (mere aktivitet) til venstre og orange (dårligere resultater) til højre er et hospital, hvor regnskabet og patienterne fortæller forskellige historier.',
    ],
  },
  {
    id: 'funnel',
    h: 'Sådan læses et tragtdiagram',
    ps: [
      'Hvert punkt er et hospital (eller en afdeling) placeret ved sin volumen vandret og sin andel lodret. Den vandrette linje er den samlede andel. Tragtlinjerne viser, hvor langt en andel kan afvige fra den af ren tilfældighed: små enheder afviger mere, så tragten er bred til venstre og smal til højre.',
      'Stiplede linjer er 95 %-grænser: omkring 1 punkt ud af 20 ligger uden for dem af tilfældighed. Fuldt optrukne linjer er 99,8 %-grænser: omkring 1 ud af 500. Et punkt uden for de fuldt optrukne linjer skyldes næppe tilfældigheder og bør ses nærmere; det kan stadig forklares af de patienter, enheden behandler.',
      'Inden for grænserne betyder punkternes rækkefølge intet. Derfor er der ingen rangliste.',
    ],
  },
  {
    id: 'control',
    h: 'Sådan læses et kontroldiagram',
    ps: [
      'Et kontroldiagram (her et p-kort) viser én enheds månedlige andel over tid. Midterlinjen er andelen i de første 12 viste måneder, basisperioden (skraveret). De stiplede grænser, tre standardafvigelser til hver side, svinger, fordi måneder med færre patienter varierer mere.',
      'Punkter inden for grænserne uden mønster er tilfældig variation. Det er spild at reagere på dem. Tre mønstre er signaler om en særlig årsag: et punkt uden for grænserne; 8 eller flere punkter i træk på samme side af midterlinjen (et skift); 6 punkter i træk, der hver stiger eller hver falder (en tendens).',
      'Signaler er trekanter, der peger den vej, andelen bevægede sig: blå, hvor ændringen er en forbedring, orange, hvor den er en forværring; grå cirkler er tilfældig variation. Teksten over hvert diagram og i oversigtstabellen aflæser den seneste måned: “intet signal”, “forbedring” eller “forværring”. Det følger NHS Englands “Making Data Count”.',
      'En måned med skjulte tal bryder en række: der påstås intet om det, der ikke kan ses.',
    ],
  },
  {
    id: 'hidden',
    h: 'Skjulte små tal',
    ps: [
      'Af hensyn til patienternes fortrolighed vises et antal under grænsen (bortset fra nul) ikke, og heller ikke tal, det kan regnes ud fra, som en andel med det antal i, eller en anden celle, der ville afsløre det ved subtraktion. Skjulte celler har intet mærke i diagrammerne og står som “skjult” i tabellerne.',
    ],
  },
  {
    id: 'use',
    h: 'Sådan bruges siderne',
    ps: [
      'Vælg år, hospital, afdeling eller indikator i menuerne over diagrammerne; alle diagrammer på siden følger med. Hold musen over eller tryk på et mærke for at se tæller, nævner og værdi. Under hvert diagram giver “Vis som tabel” de samme tal som en tabel, og et link giver et statisk billede.',
      'Alt virker fra et fællesdrev uden netværk: siderne henter intet fra internettet. De kan udskrives pænt, ét diagram pr. blok.',
    ],
  },
];

/** The Danish pages also link the longer reading guide for clinicians, rendered from docs/ into the site. */
const GUIDE_DA = 'Læsevejledning for klinikere: ændringsmatrixen, tragtdiagrammer og kontroldiagrammer trin for trin';

export function helpPage(b: Built): Page {
  const file = 'help.html';
  const sections = b.ctx.locale === 'da' ? DA : EN;
  const guide = b.ctx.locale === 'da' ? `<p class="lead"><a ${attr('href', b.ctx.docsBase + READING_GUIDE_DA.replace(/\.md$/, '.html'))}>${esc(GUIDE_DA)}</a></p>\n` : '';
  const body = `<h1>${esc(b.t.nav.help)}</h1>
${guide}<nav aria-label="${esc(b.t.nav.help)}"><ul class="links">${sections.map((s) => `<li><a href="#${s.id}">${esc(s.h)}</a></li>`).join('')}</ul></nav>
${sections.map((s) => `<section id="${s.id}" aria-labelledby="${s.id}-h"><h2 id="${s.id}-h">${esc(s.h)}</h2>${s.ps.map((p) => `<p>${esc(p)}</p>`).join('\n')}</section>`).join('\n')}`;
  return { file, title: b.t.nav.help, html: page({ file, title: b.t.nav.help, body, charts: [], ctx: b.ctx, nav: b.nav }), charts: [] };
}
