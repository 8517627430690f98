import { serve } from "./serve.ts";

/** `npm start` and `heartlock serve`: the mock lock service on 127.0.0.1 (see serve.ts). */
await serve();
