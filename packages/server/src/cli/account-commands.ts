import type { Command } from 'commander';
import { openMetaServices, type MetaServices } from '../app.ts';
import { isPermission, isRole, type Permission, type Role } from '../auth/index.ts';
import { loadCliConfig, parseIntOption, printJson, type GlobalOptions } from './cli-support.ts';

async function withMeta<T>(
  command: Command,
  work: (services: MetaServices) => Promise<T>,
): Promise<T> {
  const services = await openMetaServices(loadCliConfig(command.optsWithGlobals<GlobalOptions>()));
  try {
    return await work(services);
  } finally {
    await services.metaStore.close();
  }
}

function parseRole(value: string): Role {
  if (!isRole(value)) throw new Error(`unknown role ${value} (admin, analyst, operator, viewer)`);
  return value;
}

/** `--row-scope '[{"dimension":"channel","op":"eq","value":"wechat"}]'`; checked by the service. */
function parseRowScopeOption(text: string): unknown[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(
      '--row-scope must be JSON, e.g. [{"dimension":"channel","op":"eq","value":"wechat"}]',
    );
  }
  if (!Array.isArray(value)) throw new Error('--row-scope must be a JSON array of filters');
  return value;
}

/** project, key, token and user commands: metadata only, so they work beside a running server. */
export function registerAccountCommands(program: Command): void {
  const project = program.command('project').description('Projects and their keys');
  project
    .command('create <name>')
    .description('Create a project; prints its id, write key and secret key (shown once)')
    .option('--id <id>', 'project id (default: generated)')
    .option('--time-zone <zone>', 'IANA time zone for day boundaries')
    .option('--retention-days <days>', 'raw event retention', parseIntOption)
    .option('--json', 'print {"id","writeKey","secretKey"} as JSON')
    .action(
      async (
        name: string,
        options: { id?: string; timeZone?: string; retentionDays?: number; json?: boolean },
        command: Command,
      ) => {
        await withMeta(command, async ({ projects, config }) => {
          const created = await projects.create(
            {
              name,
              ...(options.id ? { id: options.id } : {}),
              timeZone: options.timeZone ?? config.timeZone,
              retentionDays: options.retentionDays ?? config.retentionDays,
            },
            'cli',
          );
          const out = {
            id: created.project.id,
            writeKey: created.writeKey,
            secretKey: created.secretKey,
          };
          if (options.json) printJson(out);
          else
            console.log(
              `Project ${out.id} created.\n  write key:  ${out.writeKey}\n  secret key: ${out.secretKey} (shown once)`,
            );
        });
      },
    );
  project
    .command('list')
    .description('List projects')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      await withMeta(command, async ({ projects }) => {
        const list = await projects.list();
        if (options.json) printJson(list);
        else
          for (const p of list)
            console.log(`${p.id}\t${p.name}\t${p.timeZone}\tretention ${p.retentionDays} d`);
      });
    });

  const key = program.command('key').description('Project write and secret keys');
  for (const verb of ['create', 'rotate'] as const) {
    key
      .command(`${verb} <projectId>`)
      .description(
        verb === 'create'
          ? 'Issue an additional key (existing keys stay valid)'
          : 'Issue a new key; existing keys of that kind expire after the grace period',
      )
      .option('--kind <kind>', 'write | secret', 'write')
      .option(
        '--grace-hours <hours>',
        'how long old keys keep working (rotate)',
        parseIntOption,
        24,
      )
      .option('--json', 'print JSON')
      .action(
        async (
          projectId: string,
          options: { kind: string; graceHours: number; json?: boolean },
          command: Command,
        ) => {
          if (options.kind !== 'write' && options.kind !== 'secret')
            throw new Error('--kind must be write or secret');
          await withMeta(command, async ({ projects }) => {
            const kind = options.kind as 'write' | 'secret';
            const value =
              verb === 'create'
                ? await projects.addKey(projectId, kind, 'cli')
                : await projects.rotateKey(projectId, kind, options.graceHours, 'cli');
            if (options.json) printJson({ kind: options.kind, key: value });
            else console.log(value);
          });
        },
      );
  }

  program
    .command('token')
    .description('API tokens')
    .command('create')
    .description('Create an API token for Authorization: Bearer')
    .option('--role <role>', 'admin | analyst | operator | viewer', 'viewer')
    .option('--name <name>', 'label shown in lists and the audit log', 'cli token')
    .option('--project <projectId>', 'limit the token to one project')
    .option('--scopes <list>', 'comma-separated permissions narrowing the role')
    .option(
      '--row-scope <json>',
      'row-level scope: a JSON array of dimension filters applied to every query (needs --project)',
      parseRowScopeOption,
    )
    .option('--expires-in-days <days>', 'expiry', parseIntOption)
    .option('--json', 'print {"token"} as JSON')
    .action(
      async (
        options: {
          role: string;
          name: string;
          project?: string;
          scopes?: string;
          rowScope?: unknown[];
          expiresInDays?: number;
          json?: boolean;
        },
        command: Command,
      ) => {
        const role = parseRole(options.role);
        const scopes = options.scopes?.split(',').map((s) => s.trim());
        const bad = scopes?.find((scope) => !isPermission(scope));
        if (bad) throw new Error(`unknown permission ${bad}`);
        await withMeta(command, async ({ auth }) => {
          const { token, id } = await auth.createToken(
            {
              name: options.name,
              role,
              projectId: options.project ?? null,
              ...(scopes ? { scopes: scopes as Permission[] } : {}),
              ...(options.rowScope ? { rowScope: options.rowScope } : {}),
              ...(options.expiresInDays ? { expiresInDays: options.expiresInDays } : {}),
            },
            'cli',
          );
          if (options.json) printJson({ token, id });
          else console.log(token);
        });
      },
    );

  const user = program.command('user').description('User accounts');
  user
    .command('add <email>')
    .description('Create a user; prints a generated password when --password is not given')
    .option('--role <role>', 'admin | analyst | operator | viewer', 'viewer')
    .option('--name <name>', 'display name')
    .option('--password <password>', 'initial password (at least 10 characters)')
    .option('--projects <ids>', 'comma-separated project ids the user may access')
    .option('--json', 'print JSON')
    .action(
      async (
        email: string,
        options: {
          role: string;
          name?: string;
          password?: string;
          projects?: string;
          json?: boolean;
        },
        command: Command,
      ) => {
        const role = parseRole(options.role);
        await withMeta(command, async ({ auth }) => {
          const { user: created, password } = await auth.createUser(
            {
              email,
              role,
              ...(options.name ? { name: options.name } : {}),
              ...(options.password ? { password: options.password } : {}),
              projectIds: options.projects ? options.projects.split(',').map((p) => p.trim()) : [],
            },
            'cli',
          );
          if (options.json)
            printJson({
              id: created.id,
              email: created.email,
              role,
              password: options.password ? undefined : password,
            });
          else
            console.log(
              `User ${created.email} (${role}) created.${options.password ? '' : `\n  password: ${password}`}`,
            );
        });
      },
    );
  user
    .command('reset <email>')
    .description("Set a new password (generated unless given) and end the user's sessions")
    .option('--password <password>', 'new password')
    .option('--json', 'print JSON')
    .action(
      async (email: string, options: { password?: string; json?: boolean }, command: Command) => {
        await withMeta(command, async ({ auth }) => {
          const password = await auth.resetPassword(email, options.password, 'cli');
          if (options.json) printJson({ email, password: options.password ? undefined : password });
          else console.log(options.password ? 'Password changed.' : `New password: ${password}`);
        });
      },
    );
}
