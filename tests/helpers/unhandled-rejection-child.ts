// Run as its own process by lib/store-outage-rejections.test.ts: installs the guard, leaves one
// rejection unhandled (the kind named by argv[2]), then reports that it is still alive.
import { tolerateStoreOutageRejections } from "@/lib/store-outage-rejections";

tolerateStoreOutageRejections();
const reason =
  process.argv[2] === "database"
    ? Object.assign(new Error("write CONNECTION_CLOSED 127.0.0.1:5432"), { code: "CONNECTION_CLOSED" })
    : new TypeError("Cannot read properties of undefined (reading 'id')");
void Promise.reject(reason);
setTimeout(() => {
  console.log("still alive");
  process.exit(0);
}, 200);
