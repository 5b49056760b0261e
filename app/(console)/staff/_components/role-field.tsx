import type { StaffRole } from "@/db/schema";
import { Field, inputClasses } from "@/components/ui/field";
import { staffRoles } from "./staff-rows";

/** The role picker of the staff forms, each role with what it may do. */
export function RoleField({ id, defaultValue, error }: { id: string; defaultValue: StaffRole; error?: string }) {
  return (
    <Field label="Role" htmlFor={id} error={error}>
      <select id={id} name="role" defaultValue={defaultValue} className={inputClasses}>
        {staffRoles.map((r) => (
          <option key={r.value} value={r.value}>
            {r.label} — {r.hint}
          </option>
        ))}
      </select>
    </Field>
  );
}
