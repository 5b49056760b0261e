import { columnVisibilityFeature, tableFeatures, type ColumnDef, type RowData } from "@tanstack/react-table";

/**
 * The table features every console table uses. Sorting, filtering and pagination are not
 * table features here: they happen in the database (keyset pagination) and live in the URL.
 */
export const dataTableFeatures = tableFeatures({ columnVisibilityFeature });
export type DataTableFeatures = typeof dataTableFeatures;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- columns of different value types in one array
export type DataTableColumn<TRow extends RowData> = ColumnDef<DataTableFeatures, TRow, any>;

/** A filter control in the toolbar; its `id` is the search-param name. Serializable. */
export type DataTableFilter =
  | { id: string; label: string; kind: "text"; placeholder?: string }
  | { id: string; label: string; kind: "select"; options: { value: string; label: string }[] };

export interface DataTableSort {
  /** Column ids that can be sorted (the server supports them). */
  columns: string[];
  by: string;
  dir: "asc" | "desc";
}

export interface DataTableCursors {
  /** Search param `after` for the next page; null on the last page. */
  next: string | null;
  /** Search param `before` for the previous page; null on the first page. */
  previous: string | null;
}

/** A keyset page's cursors (numeric or string ids) as the table's search params. */
export function cursorsOf(page: { nextCursor: string | number | null; previousCursor: string | number | null }): DataTableCursors {
  return {
    next: page.nextCursor === null ? null : String(page.nextCursor),
    previous: page.previousCursor === null ? null : String(page.previousCursor),
  };
}
