import { openGallery } from "../studio/gallery/browse.ts";
import type { Finding } from "./lint.ts";

/** Every state × the locales × three phone sizes × three font scales, drawn in one page and measured there. */
export async function overflowFindings(locales: readonly string[], dir?: URL): Promise<Finding[]> {
  const gallery = await openGallery(dir ? { dir } : {});
  try {
    await gallery.open({ locales: locales.join(","), sizes: "small,medium,large", scales: "100,130,200", bare: "1" });
    return await gallery.overflow();
  } finally {
    await gallery.close();
  }
}
