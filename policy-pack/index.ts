// The pack's entry point, run by the Pulumi CLI (`--policy-pack policy-pack`). Constructing a PolicyPack
// starts the analyzer's gRPC server, so nothing else imports this file: tests and the offline plan import
// `./policies` and evaluate them with plan/policies.ts.
import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

new PolicyPack("ecs-ec2-api-policies", { policies });
