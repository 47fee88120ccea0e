import { afterEach, describe, expect, it } from "vitest";
import { FALLBACK_LANGUAGE, guardLanguage, isValidLanguageTag } from "./locale-guard";

describe("locale guard", () => {
  afterEach(() => {
    delete (navigator as unknown as Record<string, unknown>).language;
  });

  it("knows the POSIX locale is not a language tag", () => {
    expect(isValidLanguageTag("C")).toBe(false);
    expect(isValidLanguageTag("")).toBe(false);
    expect(isValidLanguageTag("de-CH")).toBe(true);
  });

  it('replaces "C" so Intl.NumberFormat(navigator.language) works, as uPlot needs', () => {
    Object.defineProperty(navigator, "language", { value: "C", configurable: true });
    expect(() => new Intl.NumberFormat(navigator.language)).toThrow(RangeError);
    expect(guardLanguage()).toBe(FALLBACK_LANGUAGE);
    expect(() => new Intl.NumberFormat(navigator.language)).not.toThrow();
  });

  it("leaves a valid language alone", () => {
    Object.defineProperty(navigator, "language", { value: "fr-FR", configurable: true });
    expect(guardLanguage()).toBe("fr-FR");
    expect(navigator.language).toBe("fr-FR");
  });
});
