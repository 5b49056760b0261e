"use client";

import { useMemo } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTable, type RowData } from "@tanstack/react-table";
import { ArrowDown, ArrowUp, ArrowUpDown, ChevronLeft, ChevronRight, Columns3, Download, Inbox, LoaderCircle } from "lucide-react";
import { buttonClasses } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { dataTableFeatures, type DataTableColumn, type DataTableCursors, type DataTableFilter, type DataTableSort } from "./features";
import { DataTableFilters } from "./data-table-filters";
import { useSearchParamsNavigation } from "./use-search-params-navigation";

export interface DataTableProps<TRow extends RowData> {
  columns: DataTableColumn<TRow>[];
  data: TRow[];
  getRowId: (row: TRow) => string;
  /**
   * Where a row leads (null for rows without a page). The primary cell becomes a real link
   * (hover shows the URL, cmd/ctrl/middle-click opens a new tab, screen readers announce it),
   * and the whole row stays clickable.
   */
  rowHref?: (row: TRow) => string | null;
  /** The column whose cell is the row's link (default: the first visible one). */
  primaryColumn?: string;
  filters?: DataTableFilter[];
  sort?: DataTableSort;
  cursors: DataTableCursors;
  /** e.g. "24 events" or "≈ 1.2M events"; the server decides whether it is exact. */
  summary?: string;
  emptyTitle: string;
  emptyHint?: string;
  /** Toolbar content on the right (actions). */
  actions?: React.ReactNode;
  /** A route that streams the filtered set as CSV; it gets the page's filters and sort. */
  exportPath?: string;
  /** Inside a Card, which is then the table's frame: no border, rounding or shadow of its own. */
  embedded?: boolean;
}

/**
 * The one table of the console (SPEC §4): rows come from the server one keyset page at a time;
 * filters, sort and cursor are search params, so every view is a URL. Feature pages only
 * define columns and filters.
 */
export function DataTable<TRow extends RowData>(props: DataTableProps<TRow>) {
  const { columns, data, getRowId, rowHref, filters = [], sort, cursors } = props;
  const router = useRouter();
  const { searchParams, pending, navigate, hrefWith } = useSearchParamsNavigation();
  const table = useTable({ features: dataTableFeatures, columns, data, getRowId: (row) => getRowId(row) });

  const filterValues = useMemo(
    () => Object.fromEntries(filters.map((f) => [f.id, searchParams.get(f.id) ?? ""])),
    [filters, searchParams],
  );

  function toggleSort(columnId: string) {
    if (!sort) return;
    const dir = sort.by === columnId && sort.dir === "desc" ? "asc" : "desc";
    navigate({ sort: columnId, dir });
  }

  const rows = table.getRowModel().rows;
  const visibleColumns = table.getVisibleLeafColumns();
  const visibleColumnCount = visibleColumns.length;
  const linkColumn = visibleColumns.some((c) => c.id === props.primaryColumn) ? props.primaryColumn : visibleColumns[0]?.id;

  /** A click anywhere else in the row goes where its link goes; with a modifier or the middle button, in a new tab. */
  function openRow(event: React.MouseEvent, href: string) {
    if ((event.target as HTMLElement).closest("a,button,input,select,textarea,label,dialog")) return;
    if (event.button === 1 || event.metaKey || event.ctrlKey) window.open(href, "_blank", "noopener");
    else if (event.button === 0) router.push(href);
  }

  return (
    <div className={props.embedded ? "bg-white" : "rounded-xl border border-slate-200 bg-white shadow-xs"}>
      <div className="flex flex-wrap items-end justify-between gap-3 border-b border-slate-100 px-4 py-3">
        {filters.length > 0 ? (
          <div className="min-w-0 flex-1">
            <DataTableFilters key={JSON.stringify(filterValues)} filters={filters} values={filterValues} onApply={navigate} />
          </div>
        ) : (
          <span />
        )}
        <div className="flex items-center gap-2">
          {props.actions}
          {props.exportPath ? (
            <a href={exportHref(props.exportPath, searchParams)} className={cn(buttonClasses("secondary", "sm"), "h-9")} download>
              <Download className="size-4" aria-hidden />
              Export CSV
            </a>
          ) : null}
          <details className="relative">
            <summary className={cn(buttonClasses("secondary", "sm"), "h-9 cursor-pointer list-none")}>
              <Columns3 className="size-4" aria-hidden />
              Columns
            </summary>
            <div className="absolute right-0 z-10 mt-1 w-52 rounded-lg border border-slate-200 bg-white p-2 shadow-lg">
              {table.getAllLeafColumns().map((column) => (
                <label key={column.id} className="flex items-center gap-2 rounded px-2 py-1.5 text-sm text-slate-700 hover:bg-slate-50">
                  <input type="checkbox" checked={column.getIsVisible()} onChange={column.getToggleVisibilityHandler()} className="accent-brand-600" />
                  {typeof column.columnDef.header === "string" ? column.columnDef.header : column.id}
                </label>
              ))}
            </div>
          </details>
        </div>
      </div>

      <div className={cn("relative overflow-x-auto transition-opacity", pending && "opacity-60")} aria-busy={pending}>
        {pending ? (
          <div className="absolute inset-x-0 top-12 z-10 flex justify-center" role="status">
            <span className="flex items-center gap-2 rounded-full bg-white px-3 py-1 text-xs text-slate-600 shadow ring-1 ring-slate-200">
              <LoaderCircle className="size-3.5 animate-spin" aria-hidden /> Loading…
            </span>
          </div>
        ) : null}
        <table className="min-w-full text-sm">
          <thead>
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id} className="border-b border-slate-200 bg-slate-50/70">
                {group.headers.map((header) => {
                  const sortable = sort?.columns.includes(header.column.id);
                  const sortedDir = sort?.by === header.column.id ? sort.dir : null;
                  return (
                    <th
                      key={header.id}
                      scope="col"
                      aria-sort={sortedDir === "asc" ? "ascending" : sortedDir === "desc" ? "descending" : undefined}
                      className="whitespace-nowrap px-4 py-2.5 text-left text-xs font-semibold uppercase tracking-wide text-slate-500"
                    >
                      {sortable ? (
                        <button type="button" onClick={() => toggleSort(header.column.id)} className="inline-flex items-center gap-1 uppercase hover:text-slate-900">
                          <table.FlexRender header={header} />
                          {sortedDir === "asc" ? (
                            <ArrowUp className="size-3.5" aria-hidden />
                          ) : sortedDir === "desc" ? (
                            <ArrowDown className="size-3.5" aria-hidden />
                          ) : (
                            <ArrowUpDown className="size-3.5 text-slate-300" aria-hidden />
                          )}
                        </button>
                      ) : (
                        <table.FlexRender header={header} />
                      )}
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.length === 0 ? (
              <tr>
                <td colSpan={visibleColumnCount} className="px-4 py-16 text-center">
                  <Inbox className="mx-auto size-8 text-slate-300" aria-hidden />
                  <p className="mt-2 font-medium text-slate-900">{props.emptyTitle}</p>
                  {props.emptyHint ? <p className="mt-1 text-sm text-slate-500">{props.emptyHint}</p> : null}
                </td>
              </tr>
            ) : (
              rows.map((row) => {
                const href = rowHref?.(row.original) ?? null;
                return (
                  <tr
                    key={row.id}
                    data-row-id={row.id}
                    className={cn("align-top", href ? "cursor-pointer hover:bg-slate-50 focus-within:bg-slate-50" : undefined)}
                    onClick={href ? (e) => openRow(e, href) : undefined}
                    onAuxClick={href ? (e) => openRow(e, href) : undefined}
                  >
                    {row.getVisibleCells().map((cell) => (
                      <td key={cell.id} className="px-4 py-3 text-slate-700">
                        {href && cell.column.id === linkColumn ? (
                          // Enter on the focused link opens the row, as a link does.
                          <Link href={href} prefetch={false} className="block rounded-sm text-inherit hover:underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600" data-row-link>
                            <table.FlexRender cell={cell} />
                          </Link>
                        ) : (
                          <table.FlexRender cell={cell} />
                        )}
                      </td>
                    ))}
                  </tr>
                );
              })
            )}
          </tbody>
        </table>
      </div>

      <div className="flex items-center justify-between gap-3 border-t border-slate-100 px-4 py-3 text-sm text-slate-500">
        <span data-testid="table-summary">{props.summary}</span>
        <nav aria-label="Pagination" className="flex items-center gap-2">
          <PageLink href={cursors.previous ? hrefWith({ before: cursors.previous, after: null }) : null} label="Previous">
            <ChevronLeft className="size-4" aria-hidden /> Previous
          </PageLink>
          <PageLink href={cursors.next ? hrefWith({ after: cursors.next, before: null }) : null} label="Next">
            Next <ChevronRight className="size-4" aria-hidden />
          </PageLink>
        </nav>
      </div>
    </div>
  );
}

/** The export gets the same filters and sort as the page, but the whole set (no cursor). */
function exportHref(path: string, searchParams: URLSearchParams): string {
  const params = new URLSearchParams(searchParams.toString());
  params.delete("after");
  params.delete("before");
  const query = params.toString();
  return query ? `${path}?${query}` : path;
}

function PageLink({ href, label, children }: { href: string | null; label: string; children: React.ReactNode }) {
  if (!href) {
    return (
      <span aria-disabled className={cn(buttonClasses("secondary", "sm"), "pointer-events-none opacity-50")} aria-label={label}>
        {children}
      </span>
    );
  }
  return (
    <Link href={href} scroll={false} className={buttonClasses("secondary", "sm")} aria-label={label}>
      {children}
    </Link>
  );
}
