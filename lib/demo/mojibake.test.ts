// The demo file's double-encoded text, restored (lib/demo/openqa.ts repairMojibake).
import { describe, expect, it } from "vitest";
import { repairMojibake } from "./openqa";

describe("repairMojibake", () => {
  it("restores UTF-8 read as Windows-1252, as BEM's file spells its gold answers", () => {
    // Bytes C2 A0 (a no-break space) read as "Â" and U+00A0; E2 80 93 (an en dash) as "â", "€", "“".
    expect(repairMojibake("around 2.45Â\u00a0billion years ago")).toBe("around 2.45\u00a0billion years ago");
    expect(repairMojibake("30â€“31 October 2000")).toBe("30–31 October 2000");
    expect(repairMojibake("SebastiÃ¡n")).toBe("Sebastián");
  });

  it("leaves text alone that is not so spelled, or does not read back as UTF-8", () => {
    for (const text of ["FedExField in Landover, Maryland", "Â la carte", "naïve café", "Ãx", "日本 Â€"]) expect(repairMojibake(text)).toBe(text);
  });
});
