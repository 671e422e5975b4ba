/**
 * A small valid platform file to start tests from; each test changes one thing.
 */
export const validPlatformYaml = `version: 1
id: shop
name: Shop
environments:
  - id: staging
    name: Staging
    branch: develop
  - id: production
    name: Production
    protected: true
    branch: main
services:
  - id: db
    name: Database API
    repo:
      url: https://git.example.com/db.git
    environments:
      staging:
        url: https://staging-db.example.com
        deploy:
          provider: webhook
          url: https://hooks.example.com/staging/db
      production:
        url: https://db.example.com
        deploy:
          provider: webhook
          url: https://hooks.example.com/production/db
  - id: api
    name: API
    repo:
      path: ./api
    dependsOn: [db]
    environments:
      staging:
        url: https://staging-api.example.com
        deploy:
          provider: command
          command: [deploy, --env, staging]
      production:
        url: https://api.example.com
        deploy:
          provider: command
          command: [deploy, --env, production]
`;

/** The valid file with `from` replaced by `to` (which must occur exactly once). */
export function withChange(from: string, to: string, base = validPlatformYaml): string {
  const index = base.indexOf(from);
  if (index < 0 || base.indexOf(from, index + 1) >= 0) throw new Error(`"${from}" must occur exactly once`);
  return base.slice(0, index) + to + base.slice(index + from.length);
}
