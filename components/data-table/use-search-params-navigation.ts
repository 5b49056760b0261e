"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useTransition } from "react";

/** Cursor params are dropped whenever anything else changes: a new filter starts at page one. */
const CURSOR_PARAMS = ["after", "before"];

/**
 * Navigation that only changes search params (filters, sort, cursor), as a transition so the
 * table can show that it is loading while the server renders the next page.
 */
export function useSearchParamsNavigation() {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const [pending, startTransition] = useTransition();

  const hrefWith = useCallback(
    (changes: Record<string, string | null | undefined>) => {
      const params = new URLSearchParams(searchParams.toString());
      const touchesCursor = Object.keys(changes).some((k) => CURSOR_PARAMS.includes(k));
      if (!touchesCursor) for (const k of CURSOR_PARAMS) params.delete(k);
      for (const [key, value] of Object.entries(changes)) {
        if (value === null || value === undefined || value === "") params.delete(key);
        else params.set(key, value);
      }
      const query = params.toString();
      return query ? `${pathname}?${query}` : pathname;
    },
    [pathname, searchParams],
  );

  const navigate = useCallback(
    (changes: Record<string, string | null | undefined>) => {
      startTransition(() => router.push(hrefWith(changes), { scroll: false }));
    },
    [router, hrefWith],
  );

  return { searchParams, pending, navigate, hrefWith };
}
