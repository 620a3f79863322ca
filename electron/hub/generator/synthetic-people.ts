/**
 * Synthetic people and practices. Names are combined at random from common given names and
 * surnames; NHS numbers come only from the 999 test range, which is never issued.
 */
import { NHS_TEST_RANGE_PREFIX, nhsCheckDigit } from '../../../shared/domain/nhs-number';
import type { Random } from './random';

const GIVEN_FEMALE = ['Amelia', 'Grace', 'Harriet', 'Isla', 'Joan', 'Margaret', 'Niamh', 'Priya', 'Ruth', 'Sofia', 'Yvonne', 'Zara'];
const GIVEN_MALE = ['Arthur', 'Callum', 'David', 'Ewan', 'Frank', 'Gareth', 'Hamza', 'Ivan', 'Kwame', 'Leonard', 'Owen', 'Raymond'];
const SURNAMES = ['Ashworth', 'Bramley', 'Cartwright', 'Dunmore', 'Ellery', 'Fenwick', 'Gallagher', 'Hollis', 'Iqbal', 'Jarvis', 'Kowalski', 'Lindqvist', 'Mensah', 'Norcott', 'Okafor', 'Pennington', 'Quayle', 'Rowntree', 'Sutcliffe', 'Thackeray', 'Underwood', 'Varma', 'Whitlock', 'Yardley'];
const GP_SURNAMES = ['Abbott', 'Bhatt', 'Crane', 'Devlin', 'Egan', 'Forsyth', 'Gupta', 'Hale', 'Imrie', 'Jones', 'Khan', 'Lowe'];
const PRACTICE_NAMES = ['Riverside Surgery', 'Marsh Lane Medical Centre', 'Old Mill Health Centre', 'Harbour View Practice', 'Elmwood Family Practice', 'Chalkwell Park Surgery'];
const POSTCODE_AREAS = ['SS0', 'SS1', 'SS2', 'SS9', 'CM1', 'CM2', 'RM17', 'SS14'];

export interface SyntheticPatient {
  given: string;
  family: string;
  sex: 'female' | 'male';
  nhsNumber: string;
  birthDate: string;
  postcode: string;
}

export function syntheticNhsNumber(random: Random): string {
  for (;;) {
    const firstNine = NHS_TEST_RANGE_PREFIX + String(random.int(0, 999_999)).padStart(6, '0');
    const check = nhsCheckDigit(firstNine);
    if (check !== null) return firstNine + String(check);
  }
}

export function syntheticPatient(random: Random, today: Date): SyntheticPatient {
  const sex = random.chance(0.5) ? 'female' : 'male';
  const age = random.int(18, 92);
  const birth = new Date(Date.UTC(today.getUTCFullYear() - age, random.int(0, 11), random.int(1, 28)));
  const letters = 'ABDEFGHJLNPQRSTUWXYZ';
  return {
    given: random.pick(sex === 'female' ? GIVEN_FEMALE : GIVEN_MALE),
    family: random.pick(SURNAMES),
    sex,
    nhsNumber: syntheticNhsNumber(random),
    birthDate: birth.toISOString().slice(0, 10),
    postcode: `${random.pick(POSTCODE_AREAS)} ${random.int(1, 9)}${random.pick([...letters])}${random.pick([...letters])}`,
  };
}

export interface SyntheticPractice {
  id: string;
  name: string;
  gps: { id: string; given: string; family: string }[];
}

export function syntheticPractices(random: Random): SyntheticPractice[] {
  return PRACTICE_NAMES.map((name, p) => ({
    id: `practice-${String(p + 1).padStart(2, '0')}`,
    name,
    gps: [0, 1].map((g) => ({
      id: `gp-${String(p + 1).padStart(2, '0')}-${g + 1}`,
      given: random.pick([...GIVEN_FEMALE, ...GIVEN_MALE]),
      family: random.pick(GP_SURNAMES),
    })),
  }));
}
