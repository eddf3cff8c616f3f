-- Step changes recorded in the plan file (scrutiny/plan/tables.py): from month, a measure's SPC
-- limits are re-based in every area, for the reason given. One row per measure (a step change for
-- "all" measures is written once for each). Its own file so that upgrading an older database adds
-- it without touching the plan tables.
create table if not exists measure_step_changes (
    measure_id      varchar not null references measures (measure_id),
    month           date not null,      -- the first month of the new phase
    reason          varchar not null check (length(reason) > 0),
    primary key (measure_id, month)
);
