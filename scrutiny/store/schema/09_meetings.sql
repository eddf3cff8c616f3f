-- The panel's meetings and the questions its officers wrote, from the plan file's `meetings:` and
-- the questions file beside it (scrutiny/plan/tables.py). Its own file, every statement of which
-- can run again, so that upgrading an older database adds these (empty) tables.

-- The days the panel meets: "since the last meeting" compares with the latest month published
-- before the previous meeting (scrutiny/plan/meetings.py).
create table if not exists panel_meetings (
    meeting_date    date primary key
);

-- A question the officers want asked about a measure: in one area (area_id) or the force as a
-- whole (null), at every meeting (meeting_date null) or at one. They win over the drafted ones.
create table if not exists panel_questions (
    measure_id      varchar not null references measures (measure_id),
    area_id         varchar,            -- null: the force as a whole
    meeting_date    date,               -- null: whenever the measure is discussed
    question        varchar not null check (length(question) > 0),
    sort_order      integer not null
);
