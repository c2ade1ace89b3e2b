import { z } from 'zod';

// The renderer's CSP forbids eval; tell zod not to probe for it (the probe
// itself is reported as a CSP violation) and to validate without compiled code.
z.config({ jitless: true });
