/** Shown while a table page renders on the server for the first time. */
export function TableSkeleton({ title, rows = 8 }: { title: string; rows?: number }) {
  return (
    <div aria-busy="true" aria-label={`Loading ${title}`}>
      <h1 className="mb-6 text-2xl font-semibold tracking-tight text-slate-900">{title}</h1>
      <div className="animate-pulse rounded-xl border border-slate-200 bg-white shadow-xs">
        <div className="h-16 border-b border-slate-100" />
        {Array.from({ length: rows }, (_, i) => (
          <div key={i} className="flex gap-6 border-b border-slate-100 px-4 py-4 last:border-0">
            <div className="h-3 w-24 rounded bg-slate-100" />
            <div className="h-3 w-40 rounded bg-slate-100" />
            <div className="h-3 w-32 rounded bg-slate-100" />
            <div className="h-3 flex-1 rounded bg-slate-100" />
          </div>
        ))}
      </div>
    </div>
  );
}
