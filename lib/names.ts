/**
 * Names the program and the account's bootstrap (bootstrap/) agree on: the bootstrap's deploy role may
 * create, pass and tag only roles and instance profiles under the program's path.
 */

/** The program's project: its stacks' names start with it, its state folder is named after it. */
export const PROGRAM_PROJECT = "ecs-ec2-api";

/** The IAM path of every role and instance profile a stack deployed by the bootstrap's deploy role creates. */
export const PROGRAM_ROLE_PATH = `/${PROGRAM_PROJECT}/`;
