export { classifyChannel } from './classify-channel.ts';
export type { ClassifyChannelParams, ClassifyChannelResult } from './classify-channel.ts';
export { getPublicIpPrefix } from './get-public-ip-prefix.ts';
export { createGeoLookup } from './lookup-geo.ts';
export type { GeoInfo, GeoLookup } from './lookup-geo.ts';
export { createLruCache } from './lru-cache.ts';
export type { LruCache } from './lru-cache.ts';
export { createUserAgentParser } from './parse-user-agent.ts';
export type { UserAgentInfo, UserAgentParser, UserAgentParserOptions } from './parse-user-agent.ts';
