// Runs in the browser before the portal's own code (Next.js's client instrumentation). zod 4
// builds object schemas with `new Function` unless told not to, and first probes whether it may:
// under the Content-Security-Policy (no 'unsafe-eval') that probe is a CSP violation the browser
// reports on every page that defines a schema. Jitless parsing needs no eval.
import { z } from 'zod';

z.config({ jitless: true });
