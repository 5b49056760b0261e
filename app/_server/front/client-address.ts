// The client's address (SPEC §2 TRUST_PROXY): the TCP peer, unless the peer is a proxy we trust to
// report it. With a hop count, that many proxies in front are trusted (their X-Forwarded-For
// entries are read right to left); with a CIDR list, the right-most address that is not a
// trusted proxy is the client. A client's own X-Forwarded-For never counts.
import type { IncomingMessage } from "node:http";
import proxyaddr from "proxy-addr";
import type { Env } from "@/lib/env.js";

type TrustProxy = Env["TRUST_PROXY"];

/** Headers a client could use to claim an address or origin; only a trusted proxy may set them. */
const FORWARDING_HEADERS = ["x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-forwarded-port", "x-real-ip", "forwarded"];

export interface ClientAddressResolver {
  /** The client's address for this request. */
  addressOf(request: IncomingMessage): string;
  /** Whether the TCP peer is a trusted proxy (then its forwarding headers are kept for Next). */
  peerIsTrusted(request: IncomingMessage): boolean;
}

function trustFunction(trust: TrustProxy): (address: string, hop: number) => boolean {
  if (trust.kind === "hops") return (_address, hop) => hop < trust.hops;
  return proxyaddr.compile(trust.cidrs);
}

/** "::ffff:10.0.0.1" and "10.0.0.1" are one client: the IPv4 form keys rate limits. */
export function canonicalAddress(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return mapped ? mapped[1]! : address.toLowerCase();
}

export function createClientAddressResolver(trust: TrustProxy): ClientAddressResolver {
  const trusted = trustFunction(trust);
  return {
    addressOf(request) {
      // proxy-addr reads the socket's peer and X-Forwarded-For; with nothing trusted it returns the peer.
      const address = proxyaddr(request, trusted);
      return address ? canonicalAddress(address) : "unknown";
    },
    peerIsTrusted(request) {
      const peer = request.socket.remoteAddress;
      return peer !== undefined && trusted(peer, 0);
    },
  };
}

/** Drops forwarding headers that a client (not a trusted proxy) sent. */
export function stripUntrustedForwarding(request: IncomingMessage, resolver: ClientAddressResolver): void {
  if (resolver.peerIsTrusted(request)) return;
  for (const name of FORWARDING_HEADERS) delete request.headers[name];
}
