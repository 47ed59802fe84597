/**
 * A small input whose legal dates span 1900–2999 (not a test file itself): a stay from 1900
 * to 2999, a stay open since 1900, and at six hospitals a readmission, an emergency return
 * and a clinic visit in 1900 and again in 2999, so that the rate metrics have months at both
 * ends of the span and nothing in between. Its newest event (the long stay's discharge) is
 * the default cutoff.
 */
import { csv } from '../load/helpers.js';

export const SPAN_ADM_HEADER =
  'admission_id,patient_id,hospital_id,department_id,admit_ts,discharge_ts,admission_type,discharge_disposition,primary_diagnosis,drg_code,drg_weight';
export const SPAN_TRT_HEADER = 'treatment_id,patient_id,hospital_id,department_id,start_ts,end_ts,setting,mode,procedure_code';

/** The newest event of the span data set: the default cutoff. */
export const SPAN_NEWEST = '2999-12-30 10:00:00';

export function spanInput(hospitals = 6): Record<string, string> {
  const adm = [
    'long,p_long,H1,MED,1900-01-01 08:00,2999-12-30 10:00,elective,home,,,1.5',
    'open,p_open,H2,ICU,1900-01-02 08:00,,acute,,,,',
  ];
  const trt: string[] = [];
  const pat = ['p_long,1880,F,', 'p_open,1890,M,'];
  for (let k = 1; k <= hospitals; k++) {
    const h = `H${k}`;
    for (const y of ['1900', '2999']) {
      const p = `p${k}_${y}`;
      pat.push(`${p},${Number(y) - 20},${k % 2 ? 'F' : 'M'},`);
      adm.push(
        `${p}_a,${p},${h},MED,${y}-02-01 08:00,${y}-02-03 10:00,acute,home,I50.9,,`,
        `${p}_b,${p},${h},MED,${y}-02-10 08:00,${y}-02-12 10:00,acute,home,I50.9,,`,
      );
      trt.push(
        `${p}_e1,${p},${h},ED,${y}-03-01 09:00,,emergency,in_person,`,
        `${p}_e2,${p},${h},ED,${y}-03-02 09:00,,emergency,in_person,`,
        `${p}_o1,${p},${h},OPD,${y}-04-01 09:00,,ambulatory,in_person,`,
      );
    }
  }
  return {
    'patients.csv': csv('patient_id,birth_year,sex,death_date', pat),
    'admissions.csv': csv(SPAN_ADM_HEADER, adm),
    'treatments.csv': csv(SPAN_TRT_HEADER, trt),
  };
}
