import { describe, expect, it } from "vitest";
import { parseCommand, UsageError } from "./parse";

function usageError(argv: string[]): string {
  try {
    parseCommand(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`expected ${argv.join(" ")} to be refused`);
}

describe("parseCommand", () => {
  it("parses every command with valid options", () => {
    expect(parseCommand(["migrate"])).toEqual({ name: "migrate", input: {} });
    expect(parseCommand(["staff:create", "--email", "a@b.co", "--role", "growth"])).toEqual({
      name: "staff:create",
      input: { email: "a@b.co", role: "growth" },
    });
    expect(parseCommand(["staff:create", "--email=a@b.co", "--role=admin", "--password", "long-enough-pw", "--name", "Ann"]).input).toEqual({
      email: "a@b.co",
      role: "admin",
      password: "long-enough-pw",
      name: "Ann",
    });
    expect(parseCommand(["token:create", "--email", "a@b.co", "--name", "growth script"]).input).toEqual({ email: "a@b.co", name: "growth script" });
    expect(parseCommand(["seed", "--registrations", "10000000"]).input).toEqual({ registrations: 10_000_000 });
    expect(parseCommand(["seed", "--registrations", "500", "--chunk-size", "1000"]).input).toEqual({ registrations: 500, "chunk-size": 1000 });
    expect(parseCommand(["phase:activate", "wave-2"])).toEqual({ name: "phase:activate", input: { slug: "wave-2" } });
  });

  it("refuses unknown commands, unknown options and options of another command", () => {
    expect(usageError([])).toBe("");
    expect(usageError(["frobnicate"])).toMatch(/Unknown command "frobnicate"/);
    expect(usageError(["migrate", "--verbose"])).toMatch(/migrate/);
    expect(usageError(["migrate", "--email", "a@b.co"])).toMatch(/does not take --email/);
    expect(usageError(["seed", "now"])).toMatch(/takes no arguments/);
    expect(usageError(["phase:activate"])).toMatch(/exactly one phase slug/);
    expect(usageError(["phase:activate", "a", "b"])).toMatch(/exactly one phase slug/);
  });

  it("names each bad or missing value", () => {
    expect(usageError(["staff:create", "--role", "admin"])).toMatch(/--email is required/);
    expect(usageError(["staff:create", "--email", "nope", "--role", "admin"])).toMatch(/--email must be an e-mail address/);
    expect(usageError(["staff:create", "--email", "a@b.co", "--role", "boss"])).toMatch(/--role must be one of admin, growth, support, product/);
    expect(usageError(["staff:create", "--email", "a@b.co", "--role", "admin", "--password", "short"])).toMatch(/--password must be at least 12/);
    expect(usageError(["seed"])).toMatch(/--registrations is required/);
    expect(usageError(["seed", "--registrations", "many"])).toMatch(/--registrations must be a number/);
    expect(usageError(["seed", "--registrations", "0"])).toMatch(/--registrations must be at least 1/);
    expect(usageError(["seed", "--registrations", "1.5"])).toMatch(/whole number/);
    expect(usageError(["seed", "--registrations", "10", "--chunk-size", "150"])).toMatch(/multiple of 100/);
  });
});
