// Cairn page initialisation (ES module; loaded with <script type="module">).
//
// Lives in an external file because the Content Security Policy does not allow
// 'unsafe-inline' scripts. The relative import resolves against this file's
// URL, so it works under any STATIC_URL.
import { initAll } from "../vendor/govuk-frontend/govuk-frontend.min.js";

// GOV.UK Frontend only initialises components when <body> has this class
// (its own template sets it from an inline script, which our CSP forbids).
// Module scripts only run in browsers that GOV.UK Frontend supports.
document.body.classList.add("govuk-frontend-supported");

initAll();
