"use client";

import { useState } from "react";
import { Search, X } from "lucide-react";
import { Button } from "@/components/ui/button";
import { inputClasses } from "@/components/ui/field";
import { cn } from "@/components/ui/cn";
import type { DataTableFilter } from "./features";

/**
 * The filter toolbar. Text filters apply on Enter / "Apply", selects at once; the values live
 * in the URL, so a filtered view can be bookmarked and shared.
 */
export function DataTableFilters({
  filters,
  values,
  onApply,
}: {
  filters: DataTableFilter[];
  values: Record<string, string>;
  onApply: (changes: Record<string, string | null>) => void;
}) {
  const [draft, setDraft] = useState<Record<string, string>>(values);
  const active = filters.some((f) => values[f.id]);

  function submit(event: React.FormEvent) {
    event.preventDefault();
    onApply(Object.fromEntries(filters.map((f) => [f.id, draft[f.id]?.trim() || null])));
  }

  function clear() {
    setDraft({});
    onApply(Object.fromEntries(filters.map((f) => [f.id, null])));
  }

  return (
    <form onSubmit={submit} className="flex flex-wrap items-end gap-3" role="search" aria-label="Filters">
      {filters.map((filter) => (
        <label key={filter.id} className="flex min-w-44 flex-col gap-1 text-xs font-medium text-slate-600">
          {filter.label}
          {filter.kind === "text" ? (
            <input
              name={filter.id}
              value={draft[filter.id] ?? ""}
              placeholder={filter.placeholder}
              onChange={(e) => setDraft({ ...draft, [filter.id]: e.target.value })}
              className={cn(inputClasses, "h-9 py-1.5")}
            />
          ) : (
            <select
              name={filter.id}
              value={draft[filter.id] ?? ""}
              onChange={(e) => {
                const next = { ...draft, [filter.id]: e.target.value };
                setDraft(next);
                onApply({ [filter.id]: e.target.value || null });
              }}
              className={cn(inputClasses, "h-9 py-1.5 pr-8")}
            >
              <option value="">All</option>
              {filter.options.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          )}
        </label>
      ))}
      <Button type="submit" variant="secondary" size="sm" className="h-9">
        <Search className="size-4" aria-hidden />
        Apply
      </Button>
      {active ? (
        <Button type="button" variant="ghost" size="sm" className="h-9" onClick={clear}>
          <X className="size-4" aria-hidden />
          Clear filters
        </Button>
      ) : null}
    </form>
  );
}
