import { GALLERY_ROUTES } from "./routes.ts";

/**
 * The copy gallery's HTML shell (`/gallery`): every screen state × locale in the studio's phone component.
 * Hooks for tests and the overflow lint: gallery-grid, gallery-phone (data-state, data-locale, data-size,
 * data-scale), locale-toggle, edit-locale, edit-key, edit-message, save-deck, download-deck, lint-list,
 * review-mark. `window.heartlockGallery` answers `ready` and `overflow()`.
 */
export function galleryPage(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Copy gallery · Heartlock studio</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${GALLERY_ROUTES.style}">
<script type="module" src="${GALLERY_ROUTES.script}"></script>
</head>
<body class="gallery-body">
<header class="gallery-head">
  <h1>Copy gallery</h1>
  <p>Every screen a phone shows, in every locale, filled with stress values. Edit a message and every state updates. <a href="/">Back to the studio</a></p>
</header>
<main id="gallery" class="gallery-main" tabindex="-1"><p>Loading the copy decks…</p></main>
<noscript><p>The gallery needs JavaScript.</p></noscript>
</body>
</html>
`;
}
