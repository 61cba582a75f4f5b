// Obtains a client-credentials token the way any OAuth 2.0 client would: discovery from the issuer's
// /.well-known/openid-configuration, then the token endpoint, both by openid-client. Prints the access token.
//   node token.mjs ISSUER CLIENT_ID CLIENT_SECRET
import * as client from "openid-client";

const [issuer, clientId, clientSecret] = process.argv.slice(2);
const url = new URL(issuer);
const options = url.protocol === "http:" ? { execute: [client.allowInsecureRequests] } : undefined;
const config = await client.discovery(url, clientId, clientSecret, undefined, options);
const tokens = await client.clientCredentialsGrant(config);
console.log(tokens.access_token);
