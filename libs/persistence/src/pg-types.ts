import { types } from 'pg';

// int8 (bigint, OID 20) and numeric (OID 1700) stay strings: every caller converts them with BigInt(), so an
// amount above 2^53 can never be rounded through a JavaScript number by a driver default changing under us.
const INT8_OID = 20;
const NUMERIC_OID = 1700;

let installed = false;

export function installExactNumericParsers(): void {
  if (installed) return;
  types.setTypeParser(INT8_OID, (text: string) => text);
  types.setTypeParser(NUMERIC_OID, (text: string) => text);
  installed = true;
}
