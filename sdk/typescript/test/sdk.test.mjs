// End-to-end tests of @switchboard-pbx/sdk against a real Switchboard HQ,
// over every transport the Node entry point offers.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  Code,
  ConnectError,
  ServerRole,
  createSwitchboard,
  fieldViolations,
} from "../dist/index.js";
import { missingTool, poll, startServer } from "./server.mjs";

// Each case creates its own user: 4-digit extensions not starting with 9.
const cases = [
  { name: "connect", transport: "connect", extension: "2001" },
  { name: "grpc", transport: "grpc", extension: "2002" },
  { name: "grpc-web", transport: "grpc-web", extension: "2003" },
  { name: "connect via fetch", transport: "connect", extension: "2004", fetch: globalThis.fetch },
];

describe("Switchboard SDK", { skip: missingTool() }, () => {
  let server;
  before(async () => {
    server = await startServer();
  });
  after(() => server?.stop());

  for (const { name, transport, extension, fetch } of cases) {
    describe(`over ${name}`, () => {
      let sb;
      let siteId;
      let userId;
      before(async () => {
        sb = createSwitchboard({ baseUrl: server.url, token: server.token, transport, fetch });
        await poll(() => sb.system.getInfo({}), { Code, ConnectError });
      });
      after(() => sb?.close());

      test("GetInfo describes the HQ", async () => {
        const info = await sb.system.getInfo({});
        assert.equal(info.role, ServerRole.HQ);
        assert.match(info.version, /^\d+\.\d+\.\d+/);
        assert.ok(info.serverId);
        assert.ok(info.configurationRevision > 0n);
      });

      test("creates a user on the bootstrap site and lists it", async () => {
        const { sites } = await sb.config.listSites({});
        assert.equal(sites.length, 1);
        siteId = sites[0].id;

        const { user } = await sb.config.createUser({
          user: { extension, firstName: "Ada", lastName: name, siteId },
        });
        assert.ok(user?.id);
        assert.ok(user.etag);
        assert.equal(user.extension, extension);
        assert.ok(user.classOfServiceId, "the default class of service is applied");
        userId = user.id;

        const { users } = await sb.config.listUsers({ siteId, pageSize: 1000 });
        const listed = users.find((u) => u.id === userId);
        assert.equal(listed?.extension, extension);
        assert.equal(listed?.firstName, "Ada");
      });

      test("creates a device for the user", async () => {
        assert.ok(userId, "needs the user of the previous test");
        const { device } = await sb.config.createDevice({
          device: {
            userId,
            sipUsername: `ts-${extension}`,
            password: "correct-horse-battery",
            label: "Desk phone",
          },
        });
        assert.ok(device?.id);
        assert.equal(device.userId, userId);
        assert.equal(device.password, "", "the password is write-only");

        const { devices } = await sb.config.listDevices({ userId });
        assert.deepEqual(devices.map((d) => d.id), [device.id]);
      });

      test("a bad extension is InvalidArgument naming user.extension", async () => {
        const err = await sb.config
          .createUser({ user: { extension: "12a4", firstName: "Bad", siteId } })
          .then(() => assert.fail("CreateUser accepted extension 12a4"), (e) => e);
        assert.ok(err instanceof ConnectError, `not a ConnectError: ${err}`);
        assert.equal(err.code, Code.InvalidArgument);
        assert.match(err.message, /user\.extension/);
        assert.ok(
          fieldViolations(err).some((v) => v.field === "user.extension"),
          JSON.stringify(fieldViolations(err)),
        );
      });

      test("a missing or wrong token is Unauthenticated", async () => {
        for (const token of [undefined, "sbt_not-a-real-token"]) {
          const anon = createSwitchboard({ baseUrl: server.url, token, transport, fetch });
          try {
            await assert.rejects(anon.system.getInfo({}), (err) => {
              assert.ok(err instanceof ConnectError);
              assert.equal(err.code, Code.Unauthenticated);
              return true;
            });
          } finally {
            anon.close();
          }
        }
      });
    });
  }
});
