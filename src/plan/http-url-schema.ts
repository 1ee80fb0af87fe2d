import { z } from 'zod';

/**
 * The ports the Fetch Standard blocks ("bad ports"): Node's fetch, which the HTTP and Prometheus checks use, refuses
 * them before connecting, so a check on one could never pass. Measured on Node 24 (every port up to 11,000).
 */
const fetchBlockedPorts = new Set([
  1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110,
  111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532,
  540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061,
  6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
]);

/** An http:// or https:// URL a check can fetch; `what` ends the message of a URL that is not one. */
export function httpUrlSchema(what = '') {
  const http = /^https?:\/\/.+/;
  return z
    .string()
    .regex(http, { message: `must be an http:// or https:// URL${what}` })
    .superRefine((text, ctx) => {
      if (!http.test(text)) return; // said above
      let port: number;
      try {
        port = Number(new URL(text).port);
      } catch {
        return ctx.addIssue({ code: 'custom', message: `${JSON.stringify(text)} is not a valid URL` });
      }
      if (fetchBlockedPorts.has(port))
        ctx.addIssue({
          code: 'custom',
          message: `port ${port} is one that fetch refuses (a "bad port" of the Fetch Standard), so this check could never pass: use a tcp check or another port`,
        });
    });
}
