import { DynamicModule, Module, ModuleMetadata } from '@nestjs/common';
import { HealthController } from './health.controller';
import { HEALTH_CHECKS, HealthChecks } from './health-checks';
import { HealthService } from './health.service';

export interface HealthModuleAsyncOptions {
  imports?: ModuleMetadata['imports'];
  inject?: (string | symbol | Function)[];
  useFactory: (...deps: any[]) => HealthChecks | Promise<HealthChecks>;
}

// GET /health/live and GET /health/ready. Each app passes its own checks, e.g.
//   HealthModule.forRootAsync({ inject: [DataSource, KAFKA_ADMIN],
//     useFactory: (db, admin) => ({ postgres: postgresCheck(db), kafka: kafkaCheck(admin) }) })
@Module({})
export class HealthModule {
  static forRoot(checks: HealthChecks): DynamicModule {
    return {
      module: HealthModule,
      controllers: [HealthController],
      providers: [{ provide: HEALTH_CHECKS, useValue: checks }, HealthService],
      exports: [HealthService],
    };
  }

  static forRootAsync(options: HealthModuleAsyncOptions): DynamicModule {
    return {
      module: HealthModule,
      imports: options.imports ?? [],
      controllers: [HealthController],
      providers: [{ provide: HEALTH_CHECKS, useFactory: options.useFactory, inject: options.inject ?? [] }, HealthService],
      exports: [HealthService],
    };
  }
}
