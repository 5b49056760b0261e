import type { StaffRole } from "@/db/schema";

/** A staff member as the page sends it to the browser (dates as ISO strings). */
export interface StaffRow {
  id: string;
  email: string;
  name: string | null;
  role: StaffRole;
  disabled: boolean;
  hasPassword: boolean;
  twoFactor: boolean;
  passwordChangeRequired: boolean;
  lastSignInAt: string | null;
  createdAt: string;
  isYou: boolean;
}

export const staffRoles: { value: StaffRole; label: string; hint: string }[] = [
  { value: "admin", label: "Admin", hint: "staff, API tokens, policy, and everything else" },
  { value: "growth", label: "Growth", hint: "batches, quota grants, boosts, support actions" },
  { value: "support", label: "Support", hint: "look people up, resend, reactivate, hold, block" },
  { value: "product", label: "Product", hint: "phases; sees phone numbers masked" },
];
