-- Writes place_ratings from new_place_ratings, the ratings computed set-wise in Python (a frame
-- registered by the caller, with place_ratings' columns), replacing every one stored before.
insert into place_ratings by name
select * from new_place_ratings
order by unit_id, measure_id, month
