import { SetMetadata } from '@nestjs/common';
import type { Permission } from './access-policy';

export const PERMISSION_KEY = 'api:permission';

// Names the permission a route exercises; the service it calls checks the object with access-policy.ts. A keyed
// route without one is refused by the key guard (fail closed) and fails the OpenAPI-generated matrix test.
export const Authorize = (permission: Permission) => SetMetadata(PERMISSION_KEY, permission);
