/** An IMEI is 14 digits plus a Luhn check digit (3GPP TS 23.003). */
export function isValidImei(text: string): boolean {
  return /^\d{15}$/.test(text) && luhnCheckDigit(text.slice(0, 14)) === Number(text[14]);
}

/** The Luhn check digit for a string of digits (used to build valid test IMEIs too). */
export function luhnCheckDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    // Double every second digit counting from the right of the payload (the check digit's left neighbour first).
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** A valid IMEI from a 14-digit body, e.g. `imeiFrom("35123456000001")`. */
export function imeiFrom(body14: string): string {
  if (!/^\d{14}$/.test(body14)) throw new Error(`an IMEI body is 14 digits, got "${body14}"`);
  return body14 + String(luhnCheckDigit(body14));
}
