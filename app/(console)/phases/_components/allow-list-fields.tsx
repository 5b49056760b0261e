import { formatCount } from "@/components/format";
import { Field, inputClasses } from "@/components/ui/field";

/** The allow-list as the edit form shows it: entries (masked for product) named by reference. */
export interface AllowListView {
  total: number;
  entries: { ref: string; phone: string }[];
  /** The numbers are masked for this role. */
  masked: boolean;
}

/**
 * An internal phase's employee phones. New phase: the whole list, typed. Existing phase: the
 * current entries with a remove box each (product staff see them masked, and the box sends an
 * opaque reference, never the number), plus numbers typed to add or to remove.
 */
export function AllowListFields({ allowList, errors }: { allowList?: AllowListView; errors: Record<string, string> }) {
  if (!allowList) {
    return (
      <Field label="Employee phones" htmlFor="allowedPhones" error={errors.allowedPhones} className="sm:col-span-2" hint="One number per line, with its country code">
        <textarea id="allowedPhones" name="allowedPhones" rows={3} className={inputClasses} placeholder={"+33 6 12 34 56 78\n+44 7911 123456"} />
      </Field>
    );
  }
  return (
    <div className="space-y-4 sm:col-span-2" data-testid="allow-list-fields">
      <fieldset className="space-y-1.5">
        <legend className="text-sm font-medium text-slate-700">
          Employee phones · {formatCount(allowList.total)} on the list
          {allowList.masked ? <span className="font-normal text-slate-500"> (masked for your role)</span> : null}
        </legend>
        {allowList.entries.length ? (
          <ul className="max-h-56 divide-y divide-slate-100 overflow-y-auto rounded-md ring-1 ring-slate-200 ring-inset" data-testid="allow-list-entries">
            {allowList.entries.map((entry) => (
              <li key={entry.ref}>
                <label className="flex items-center justify-between gap-3 px-3 py-1.5 text-sm hover:bg-slate-50">
                  <span className="font-mono text-slate-800">{entry.phone}</span>
                  <span className="flex items-center gap-2 text-xs text-slate-500">
                    Remove
                    <input type="checkbox" name="removeAllowedPhoneRefs" value={entry.ref} aria-label={`Remove ${entry.phone}`} className="size-4 accent-red-600" />
                  </span>
                </label>
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-sm text-slate-500">Nobody is on the list yet.</p>
        )}
        {allowList.total > allowList.entries.length ? (
          <p className="text-xs text-slate-500">
            The first {formatCount(allowList.entries.length)} are shown; remove others by typing their number below.
          </p>
        ) : null}
      </fieldset>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Add phones" htmlFor="addAllowedPhones" error={errors.addAllowedPhones} hint="One number per line, with its country code">
          <textarea id="addAllowedPhones" name="addAllowedPhones" rows={3} className={inputClasses} placeholder={"+33 6 12 34 56 78\n+44 7911 123456"} />
        </Field>
        <Field label="Remove phones" htmlFor="removeAllowedPhones" error={errors.removeAllowedPhones} hint="Numbers not on the list are ignored">
          <textarea id="removeAllowedPhones" name="removeAllowedPhones" rows={3} className={inputClasses} />
        </Field>
      </div>
    </div>
  );
}
