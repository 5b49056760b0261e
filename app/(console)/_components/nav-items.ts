import type { Permission } from "@/lib/auth/roles";

/** Every console page of SPEC §4, in the order of the sidebar. */
export interface NavItem {
  href: string;
  label: string;
  icon:
    | "overview"
    | "waitlist"
    | "batches"
    | "phases"
    | "members"
    | "notifications"
    | "policy"
    | "audit"
    | "staff"
    | "webhooks"
    | "account";
  /** Shown only to roles with this permission (the page checks it again). */
  permission?: Permission;
}

export const navItems: NavItem[] = [
  { href: "/", label: "Overview", icon: "overview" },
  { href: "/waitlist", label: "Waitlist", icon: "waitlist" },
  { href: "/batches", label: "Batches", icon: "batches" },
  { href: "/phases", label: "Phases", icon: "phases" },
  { href: "/members", label: "Members", icon: "members" },
  { href: "/notifications", label: "Notifications & queues", icon: "notifications" },
  { href: "/policy", label: "Policy", icon: "policy" },
  { href: "/audit", label: "Audit log", icon: "audit" },
  { href: "/staff", label: "Staff & API tokens", icon: "staff", permission: "manage_staff" },
  { href: "/webhooks", label: "Webhooks", icon: "webhooks", permission: "manage_webhooks" },
  { href: "/account", label: "Account", icon: "account" },
];
